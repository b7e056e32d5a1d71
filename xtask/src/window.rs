//! Runs the real-window tests: Xvfb, then tauri-driver (which starts
//! WebKitWebDriver), then the `haul-e2e` window tests against the built app.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Result, cargo, desktop_bin, root, run_command, setup, target_dir};

/// Kills the child when dropped, so a failing test never leaves Xvfb or the driver
/// behind.
struct Guard(Child, &'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        if let Err(error) = self.0.kill() {
            eprintln!("xtask: cannot stop {}: {error}", self.1);
        }
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Polls `ready` until it holds or `what` times out: used only to wait for a
/// server process to start listening.
fn wait_until(what: &str, timeout: Duration, ready: impl Fn() -> bool) -> Result {
    let deadline = Instant::now() + timeout;
    while !ready() {
        if Instant::now() > deadline {
            return Err(format!("{what} did not start within {timeout:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

pub fn free_display() -> Result<u32> {
    (90..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X{n}-lock")).exists()
                && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        })
        .ok_or_else(|| "no free X display number between :90 and :199".to_string())
}

/// The AllDebrid key of the real-window tests: known to the fake only.
const WINDOW_TEST_KEY: &str = "window-test-alldebrid-key";

pub fn run_window_tests() -> Result {
    let driver = setup::tauri_driver_path().ok_or("tauri-driver is not installed")?;
    let display_number = free_display()?;
    let display = format!(":{display_number}");
    let xvfb = Command::new("Xvfb")
        .args([
            display.as_str(),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let _xvfb = Guard(xvfb, "Xvfb");
    let socket = format!("/tmp/.X11-unix/X{display_number}");
    wait_until("Xvfb", Duration::from_secs(20), || {
        Path::new(&socket).exists()
    })?;

    // A session bus of their own: single-instance forwarding (and notifications)
    // go over D-Bus, and the test's second launch must reach the app's bus.
    let mut bus = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start dbus-daemon: {e}"))?;
    let mut address = String::new();
    if let Some(stdout) = bus.stdout.take() {
        use std::io::BufRead;
        std::io::BufReader::new(stdout)
            .read_line(&mut address)
            .map_err(|e| format!("dbus-daemon gave no address: {e}"))?;
    }
    let _bus = Guard(bus, "dbus-daemon");
    let address = address.trim().to_string();
    if address.is_empty() {
        return Err("dbus-daemon gave no address".into());
    }

    // Debug builds trust this key for updates instead of the release key, so the
    // updater test can sign bundles; release builds ignore the variable.
    let updater_key = root().join("tests/fixtures/updater/test-key.pub.base64");
    let updater_key = std::fs::read_to_string(&updater_key)
        .map_err(|e| format!("{}: {e}", updater_key.display()))?;

    // A home folder of their own: start at login writes its autostart entry under
    // it (the autostart plugin uses $HOME/.config, not XDG_CONFIG_HOME), and the
    // window's remembered size never leaks between runs or into the user's home.
    let home = crate::target_dir().join("e2e-home");
    if home.exists() {
        std::fs::remove_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
    }
    std::fs::create_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;

    let port = free_port()?;
    let native_port = free_port()?;
    let tauri_driver = Command::new(&driver)
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &display)
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        // The app it starts takes its AllDebrid key from here (the test's fake
        // accepts this one); the fake's address is set in the app's settings.
        .env("HAUL_ALLDEBRID_API_KEY", WINDOW_TEST_KEY)
        .env("HAUL_UPDATER_PUBKEY", updater_key.trim())
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("HAUL_ALLDEBRID_URL")
        .spawn()
        .map_err(|e| format!("cannot start tauri-driver: {e}"))?;
    let _tauri_driver = Guard(tauri_driver, "tauri-driver");
    wait_until("tauri-driver", Duration::from_secs(30), || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    })?;

    let shots = root().join("target/e2e");
    std::fs::create_dir_all(&shots).map_err(|e| format!("{}: {e}", shots.display()))?;
    run_command(
        cargo()
            .args([
                "test",
                "-p",
                "haul-e2e",
                "--test",
                "window",
                "--test",
                "window_library",
                "--test",
                "window_faces",
                "--test",
                "window_sources",
                "--",
                "--ignored",
                "--test-threads=1",
                "--nocapture",
            ])
            .env("DISPLAY", &display)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HAUL_DESKTOP_BIN", desktop_bin())
            .env("HAUL_WEBDRIVER_URL", format!("http://127.0.0.1:{port}"))
            .env("HAUL_E2E_SHOTS", &shots)
            .env("HAUL_E2E_ALLDEBRID_KEY", WINDOW_TEST_KEY)
            .env("HAUL_E2E_HOME", &home)
            .env("HAUL_TEST_PHOTOS", crate::setup::test_photos()?)
            .env("HAUL_TEST_MODELS", target_dir().join("models")),
    )?;
    eprintln!("screenshots in {}", shots.display());
    Ok(())
}
