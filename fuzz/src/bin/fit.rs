//! AFL++ target `fit`: see `checks::check_fit` for what a crash means.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(why) = recovery_fuzz::checks::check_fit(data) {
            panic!("{why}");
        }
    });
}
