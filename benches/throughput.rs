//! Throughput benchmarks (issue 6; not written yet).

fn main() {}
