//! AFL++ target `journal`: see `checks::check_journal` for what a crash means.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(why) = recovery_fuzz::checks::check_journal(data) {
            panic!("{why}");
        }
    });
}
