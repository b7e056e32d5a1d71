//! A download into a full disk pauses with `DiskFull`, keeps what it has, and
//! completes with the exact bytes once space is freed. Mounts a small tmpfs, so it
//! needs root: `cargo xtask test` runs it when it is root and says so when not.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use haul_core::{AddOptions, Core, DownloadState, ErrorCode, OpenMode};
use haul_e2e::file_server::{Behaviour, FileServer};
use haul_e2e::test_bytes;

const MIB: usize = 1 << 20;

/// A tmpfs of a given size, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size_mib: usize) -> Self {
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mib}m"), "tmpfs"])
            .arg(dir)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "cannot mount a tmpfs on {} (needs root)",
            dir.display()
        );
        Self(dir.to_path_buf())
    }

    fn resize(&self, size_mib: usize) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size_mib}m")])
            .arg(&self.0)
            .status()
            .expect("run mount");
        assert!(status.success(), "cannot resize the tmpfs");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[tokio::test]
#[ignore = "mounts a tmpfs, so it needs root: run by `cargo xtask test`"]
async fn a_full_disk_pauses_the_download_and_it_completes_once_space_is_freed() {
    let body = test_bytes(12 * MIB, 40);
    let server = FileServer::start(body.clone(), Behaviour::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let mount_point = tempfile::tempdir().unwrap();
    let disk = Tmpfs::mount(mount_point.path(), 8);

    let core = Core::open(data.path(), OpenMode::Worker { autostart: true })
        .await
        .unwrap();
    let options = AddOptions {
        dir: Some(mount_point.path().to_path_buf()),
        connections: Some(4),
        ..AddOptions::default()
    };
    let id = core
        .downloads()
        .add(&server.url("big.iso"), &options)
        .await
        .unwrap()
        .id;
    let paused = tokio::time::timeout(Duration::from_secs(60), core.downloads().wait(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(paused.state, DownloadState::Paused, "{:?}", paused.error);
    let error = paused.error.expect("the pause says why");
    assert_eq!(error.code, ErrorCode::DiskFull);
    assert!(error.message.contains("disk is full"), "{}", error.message);
    assert!(paused.received_bytes > 0, "earlier bytes are kept");
    assert!(mount_point.path().join("big.iso.part").exists());
    assert!(!mount_point.path().join("big.iso").exists());

    disk.resize(64);
    core.downloads().resume(id).await.unwrap();
    let done = tokio::time::timeout(Duration::from_secs(60), core.downloads().wait(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert!(done.error.is_none());
    assert_eq!(
        std::fs::read(mount_point.path().join("big.iso")).unwrap(),
        body
    );
    core.shutdown().await;
    drop(core);
    drop(disk);
}
