// The Go demo receiver: a module of its own that uses the binding from this checkout.
module hooksig-demo-receiver

go 1.19

require example.invalid/hooksig/bindings-go v0.0.0

replace example.invalid/hooksig/bindings-go => ../../../bindings-go
