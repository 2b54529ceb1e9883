fn main() {
    std::process::exit(nyckeltal::run(std::env::args_os()));
}
