//! `haul serve`: Haul on a server, its UI in a browser. `--init` sets the
//! password (from the terminal or stdin, never an argument); `token` and `totp`
//! manage API tokens and the second factor, beside a running server too.

use std::io::{BufRead, IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use haul_core::{Core, Error, ErrorCode, OpenMode};
use haul_server::{ServeOptions, Server, admin};
use haul_store::Store;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServeArgs {
    #[command(subcommand)]
    action: Option<ServeAction>,
    /// Address and port to listen on (default 127.0.0.1:8080; 0 picks a free
    /// port). Anything but loopback needs TLS or --behind-proxy.
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<SocketAddr>,
    /// PEM certificate chain for HTTPS.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for HTTPS.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// A folder remote clients may download into, besides the download folder
    /// (repeatable).
    #[arg(long = "allow-dir", value_name = "DIR")]
    allow_dirs: Vec<PathBuf>,
    /// The reverse proxy (its address) that terminates TLS and whose
    /// X-Forwarded-For is trusted.
    #[arg(long, value_name = "ADDR")]
    behind_proxy: Option<IpAddr>,
    /// The built UI (default: HAUL_UI_DIR, or next to the binary).
    #[arg(long, value_name = "DIR")]
    ui: Option<PathBuf>,
    /// Set the admin password (read from the terminal, or one line of stdin)
    /// and exit. Every session ends.
    #[arg(long)]
    init: bool,
}

#[derive(Subcommand)]
enum ServeAction {
    /// API tokens for scripts (sent as `Authorization: Bearer`).
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// The second factor (TOTP) for browser logins.
    Totp {
        #[command(subcommand)]
        action: TotpAction,
    },
    /// Browser sessions.
    Sessions {
        #[command(subcommand)]
        action: SessionsAction,
    },
}

#[derive(Subcommand)]
enum SessionsAction {
    /// End every browser session at once (a lost laptop); API tokens stay.
    End,
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token; it is printed once, on the last line.
    Create { name: String },
    /// Revoke a token: it stops working at once.
    Revoke { name: String },
    /// List tokens (names and dates, never the tokens).
    List,
}

#[derive(Subcommand)]
enum TotpAction {
    /// Turn TOTP on: prints the secret, its otpauth:// URI and recovery codes once.
    Enable,
    /// Turn TOTP off.
    Disable,
}

async fn store(data_dir: &Path) -> Result<Store, Error> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Error::from_io(&format!("Cannot create {}", data_dir.display()), &e))?;
    Ok(Store::open(&haul_core::database_path(data_dir)).await?)
}

fn read_password() -> Result<String, Error> {
    let io = |e: std::io::Error| Error::from_io("Cannot read the password", &e);
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password for haul serve: ").map_err(io)?;
        let again = rpassword::prompt_password("Again: ").map_err(io)?;
        if first != again {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "The two passwords differ.",
            ));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(io)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

pub async fn serve(data_dir: &Path, args: ServeArgs) -> Result<ExitCode, Error> {
    match args.action {
        Some(ServeAction::Token { action }) => return token(data_dir, action).await,
        Some(ServeAction::Totp { action }) => return totp(data_dir, action).await,
        Some(ServeAction::Sessions {
            action: SessionsAction::End,
        }) => {
            let ended = admin::end_sessions(&store(data_dir).await?).await?;
            println!("Ended {ended} session(s).");
            return Ok(ExitCode::SUCCESS);
        }
        None => {}
    }
    if args.init {
        let store = store(data_dir).await?;
        let password = read_password()?;
        admin::set_password(&store, &password).await?;
        println!("The password is set; start the server with `haul serve`.");
        return Ok(ExitCode::SUCCESS);
    }
    let core = Arc::new(Core::open(data_dir, OpenMode::Worker { autostart: true }).await?);
    let store = core.store().clone();
    core.faces().start_background();
    core.sources().start_scheduler();
    let options = ServeOptions {
        listen: args.listen,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        allow_dirs: args.allow_dirs,
        behind_proxy: args.behind_proxy,
        ui_dir: args.ui,
    };
    let server = match Server::bind(Arc::clone(&core), store, options).await {
        Ok(server) => server,
        Err(error) => {
            core.shutdown().await;
            return Err(error);
        }
    };
    println!("listening on {}", server.url());
    let _ = std::io::stdout().flush();
    server.run(stopped()).await;
    core.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl+C, or SIGTERM (systemd, docker stop).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn token(data_dir: &Path, action: TokenAction) -> Result<ExitCode, Error> {
    let store = store(data_dir).await?;
    match action {
        TokenAction::Create { name } => {
            let token = admin::create_token(&store, &name).await?;
            println!("API token {name:?} (shown once; send it as `Authorization: Bearer …`):");
            println!("{token}");
        }
        TokenAction::Revoke { name } => {
            admin::revoke_token(&store, &name).await?;
            println!("Revoked {name:?}.");
        }
        TokenAction::List => {
            for row in admin::tokens(&store).await? {
                let used = row.last_used.map_or_else(
                    || "never used".to_string(),
                    |t| format!("last used {}", crate::format::date_time(t)),
                );
                println!(
                    "{}\tcreated {}\t{used}",
                    row.name,
                    crate::format::date_time(row.created_at)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn totp(data_dir: &Path, action: TotpAction) -> Result<ExitCode, Error> {
    let store = store(data_dir).await?;
    match action {
        TotpAction::Enable => {
            let setup = admin::enable_totp(&store).await?;
            println!("TOTP is on. Add this to your authenticator app:");
            println!("  secret: {}", setup.secret);
            println!("  {}", setup.uri);
            println!("Recovery codes (each works once; keep them somewhere safe):");
            for code in setup.recovery_codes {
                println!("  {code}");
            }
        }
        TotpAction::Disable => {
            admin::disable_totp(&store).await?;
            println!("TOTP is off.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
