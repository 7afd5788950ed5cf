//! AFL++ target `config`: see `checks::check_config` for what a crash means.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(why) = recovery_fuzz::checks::check_config(data) {
            panic!("{why}");
        }
    });
}
