#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| turkstand::fuzzing::signature(data));
