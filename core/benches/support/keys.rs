//! The secrets the benchmarks and `forged_cost` sign and verify with, per scheme: a `whsec_`
//! secret, or for the public-key schemes a private key (the verifier derives the public key from
//! it; verifying costs the same as with the public key alone). Shared with `#[path]`: examples
//! and benches are separate targets.

const DISCORD_KEY: &str = "afd5b6a9288310e126318dbef5d47ce71183ef9aa2539a807777d6d133892d0a\
                           111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f";
const DISCORD_OTHER_KEY: &str = "0805345fd3f053afec0c71a1b1c977f32a40efe713fe4ca29b3b2f25c2c3254a\
                                 ce9ed08e29685ea4da865d56e3ed973585488bb486910651dbff25504c43329c";
const SENDGRID_KEY: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/8hXvM/xn6Xl3lW7zRHobfjxh0IegzR2uTeYt0JBhOhRANCAAS\
                            UUiOMC4Sy28tvzW/HJkoW8iatAObltI9O5zbpXTEAH6oOmaXg2BzujB6RhilIBJQaTB0n3oiNYBZY5SmEuo75";
const SENDGRID_OTHER_KEY: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg47IozoeJfw4qBs0v9vXrqX/pmSTtj4xfUIUwQvjUFwKhRANCAAQ\
                                  cr3HDF67bvQd7j9lcrjfU0VT8SZGjMysDo0OslLtIRnSRS2SZ7oqrHY3embMwWVKXen78ckLDBtnDXuYDdlKZ";

/// The secret that signs (and verifies) `scheme`'s requests.
pub fn secret(scheme: &str) -> &'static str {
    match scheme {
        "standard-webhooks" | "svix" | "replicate" | "clerk" | "resend" | "openai" => {
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        }
        "discord" => DISCORD_KEY,
        "sendgrid" => SENDGRID_KEY,
        _ => "whsec_benchmark_secret_value",
    }
}

/// Another secret of the same form: what a forger signs with.
#[allow(dead_code)] // the criterion bench forges nothing
pub fn wrong_secret(scheme: &str) -> &'static str {
    match scheme {
        "standard-webhooks" | "svix" | "replicate" | "clerk" | "resend" | "openai" => {
            "whsec_AAAQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        }
        "discord" => DISCORD_OTHER_KEY,
        "sendgrid" => SENDGRID_OTHER_KEY,
        _ => "whsec_some_other_secret_value",
    }
}
