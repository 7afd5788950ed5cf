//! AFL++ target `xml`: see `checks::check_xml` for what a crash means.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Err(why) = recovery_fuzz::checks::check_xml(data) {
            panic!("{why}");
        }
    });
}
