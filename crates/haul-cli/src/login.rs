//! `haul login` / `haul logout`: credentials go to the OS keyring.

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use haul_core::{Core, LoginMethod, LoginStatus, OpenMode, Provider};

use crate::EXIT_INTERRUPTED;

pub async fn login(data_dir: &Path, provider: Provider) -> haul_core::Result<ExitCode> {
    let core = Core::open(data_dir, OpenMode::Worker { autostart: false }).await?;
    let accounts = core.accounts().list().await?;
    let method = accounts
        .iter()
        .find(|a| a.provider == provider)
        .map_or(LoginMethod::ApiKey, |a| a.login_method);
    let result = match method {
        LoginMethod::ApiKey => paste_key(&core, provider).await,
        LoginMethod::Pin | LoginMethod::OauthDevice => {
            tokio::select! {
                result = confirm_code(&core, provider) => result,
                _ = tokio::signal::ctrl_c() => {
                    eprintln!("haul: login cancelled.");
                    core.shutdown().await;
                    return Ok(ExitCode::from(EXIT_INTERRUPTED));
                }
            }
        }
    };
    core.shutdown().await;
    let account = result?;
    let who = account.username.unwrap_or_else(|| "your account".into());
    let premium = match account.premium {
        Some(true) => ", premium",
        Some(false) => ", not premium",
        None => "",
    };
    println!("Logged in to {} as {who}{premium}.", account.label);
    Ok(ExitCode::SUCCESS)
}

async fn confirm_code(
    core: &Core,
    provider: Provider,
) -> haul_core::Result<haul_core::AccountView> {
    let prompt = core.accounts().start_login(provider).await?;
    eprintln!(
        "Open {} and enter the code {}\n(valid for {} minutes; waiting for you to confirm…)",
        prompt.verification_url,
        prompt.user_code,
        prompt.expires_in_seconds.div_ceil(60)
    );
    let interval = Duration::from_secs(u64::from(prompt.poll_interval_seconds.max(1)));
    loop {
        tokio::time::sleep(interval).await;
        if let LoginStatus::Done { account } = core.accounts().poll_login(prompt.login_id).await? {
            return Ok(account);
        }
    }
}

/// Reads the key from standard input, so it never appears in the process list or
/// the shell's history.
async fn paste_key(core: &Core, provider: Provider) -> haul_core::Result<haul_core::AccountView> {
    if std::io::stdin().is_terminal() {
        eprintln!(
            "Paste your {} API key and press Enter:",
            provider.kind().label()
        );
    }
    let key = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    })
    .await
    .map_err(|e| haul_core::Error::new(haul_core::ErrorCode::Internal, e.to_string()))?
    .map_err(|e| {
        haul_core::Error::new(
            haul_core::ErrorCode::InvalidInput,
            format!("Cannot read the key: {e}"),
        )
    })?;
    core.accounts().set_api_key(provider, key.trim()).await
}

pub async fn logout(data_dir: &Path, provider: Provider) -> haul_core::Result<ExitCode> {
    let core = Core::open(data_dir, OpenMode::Worker { autostart: false }).await?;
    let result = core.accounts().logout(provider).await;
    core.shutdown().await;
    let account = result?;
    println!("Logged out of {}.", account.label);
    Ok(ExitCode::SUCCESS)
}
