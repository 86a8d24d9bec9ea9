#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| turkstand::fuzzing::rest_form(data));
