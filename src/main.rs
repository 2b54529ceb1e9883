fn main() {
    // Past `ulimit -f` a write fails with EFBIG (exit 7, the old file left
    // whole) instead of SIGXFSZ killing the process mid-file.
    #[cfg(unix)]
    // SAFETY: setting a signal to be ignored, before any thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    std::process::exit(nyckeltal::run(std::env::args_os()));
}
