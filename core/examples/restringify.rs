//! Prints, for each file argument, one line: the hex of hooksig's emulation of Node's
//! `JSON.stringify(JSON.parse(text))`, or `null` where JSON.parse would throw. Used by
//! `fuzz/differential.py` to compare against real Node over a corpus.

fn main() {
    for path in std::env::args().skip(1) {
        let line = match std::fs::read(&path) {
            Ok(bytes) => hooksig::js_restringify(&bytes).map_or_else(|| "null".to_owned(), hex),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        };
        println!("{line}");
    }
}

fn hex(bytes: Vec<u8>) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
