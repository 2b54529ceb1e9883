//! `report --pdf`: the pack's page printed to an A4 PDF by a browser the
//! system has (Chromium, Google Chrome or Microsoft Edge, headless with
//! `--print-to-pdf`), as a reader printing the page would get it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::base::error;

/// The names a Chromium-family browser has on PATH, in the order tried.
const ON_PATH: [&str; 8] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
];

/// Where the browsers install themselves outside PATH (macOS, Windows).
const INSTALLED: [&str; 6] = [
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
];

/// How long printing may take before it is given up (a browser that hangs).
const PRINT_TIMEOUT: Duration = Duration::from_secs(180);

/// A browser that prints.
#[derive(Debug, Clone)]
pub(crate) struct Browser {
    path: PathBuf,
}

/// The browser named (`--browser`, `NYCKELTAL_BROWSER`), or the first one
/// found on PATH or where it installs itself; exit 2 with how to get one
/// when there is none.
pub(crate) fn find_browser(named: Option<&Path>) -> Result<Browser> {
    if let Some(path) = named {
        if path.is_file() {
            return Ok(Browser {
                path: path.to_path_buf(),
            });
        }
        return Err(error::usage(format!(
            "--browser {} is not a file; give the path of Chromium, Google Chrome or Microsoft Edge",
            path.display()
        )));
    }
    let found = ON_PATH
        .iter()
        .find_map(|name| which::which_global(name).ok())
        .or_else(|| INSTALLED.iter().map(PathBuf::from).find(|p| p.is_file()));
    found.map(|path| Browser { path }).ok_or_else(|| {
        error::usage(format!(
            "report --pdf prints the page with Chromium, Google Chrome or Microsoft Edge, and none was found (looked for {} on PATH); install one (e.g. `apt install chromium`) or name it with --browser PATH, or leave out --pdf and print report.html from a browser",
            ON_PATH.join(", ")
        ))
    })
}

impl Browser {
    /// Print `html` (a file) to `pdf` on A4, as the page's print
    /// stylesheet lays it out; a failure or a hang is exit 7.
    pub(crate) fn print(&self, html: &Path, pdf: &Path) -> Result<()> {
        let profile = tempfile::tempdir()?;
        let mut command = Command::new(&self.path);
        command
            .args([
                "--headless",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(file_url(html)?)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Chromium will not run as root without it; the page has no scripts.
        if running_as_root() {
            command.arg("--no-sandbox");
        }
        let fail = |why: String| {
            error::output(format!(
                "{} could not print the PDF ({why}); print report.html from a browser instead",
                self.path.display()
            ))
        };
        let mut child = command.spawn().map_err(|e| fail(e.to_string()))?;
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if started.elapsed() > PRINT_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!("no answer in {} s", PRINT_TIMEOUT.as_secs())));
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let printed = std::fs::metadata(pdf).is_ok_and(|m| m.len() > 0);
        if !status.success() || !printed {
            return Err(fail(format!("it exited with {status}")));
        }
        Ok(())
    }
}

/// `file:///…/report.html` for a file's absolute path.
fn file_url(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path)?;
    url::Url::from_file_path(&absolute)
        .map(|u| u.to_string())
        .map_err(|()| error::output(format!("cannot name {} as a file URL", absolute.display())))
}

fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}
