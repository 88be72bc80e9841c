//! Integration tests of the RPC layer: the generated C against the oracle and the C compiler, and
//! the generated C client against the Rust dispatcher over real sockets.

mod rpc {
    mod abi;
    mod compile;
    mod lb;
    mod loopback;
    mod support;
}
