// The Go binding of hooksig. The module lives in the bindings-go folder of the hooksig
// repository, so its path is the repository's address (Cargo.toml's `repository`) plus the
// folder: the only path `go get` resolves for a module in a subdirectory (tagged
// bindings-go/vX.Y.Z). Change both together when the repository gets its public address.
module example.invalid/hooksig/bindings-go

go 1.19
