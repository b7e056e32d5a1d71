//! Readiness: can this Haul do its work? The database answers, the download
//! folder has room, each configured debrid account is valid, and the optional
//! tools (extractors, ffmpeg, face models) are found. `GET /ready`, the
//! Diagnostics page and `haul diagnostics` show the same checks.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::Shared;
use crate::settings::Provider;

/// Below this much free space in the download folder, Haul is not ready.
pub const MIN_FREE_BYTES: u64 = 512 << 20;
/// How long one provider may take to say whether its key is valid.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessCheck {
    pub name: String,
    pub ok: bool,
    /// Whether Haul is not ready while this fails (an optional tool is not).
    pub required: bool,
    pub detail: String,
}

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    /// Every required check passed.
    pub ready: bool,
    pub checks: Vec<ReadinessCheck>,
}

fn check(name: &str, ok: bool, required: bool, detail: String) -> ReadinessCheck {
    ReadinessCheck {
        name: name.to_string(),
        ok,
        required,
        detail,
    }
}

pub struct Diagnostics<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

impl Diagnostics<'_> {
    pub async fn readiness(&self) -> Readiness {
        let mut checks = vec![self.database().await, self.disk()];
        checks.extend(self.providers().await);
        checks.extend(self.tools().await);
        checks.push(self.face_models().await);
        Readiness {
            ready: checks.iter().all(|c| c.ok || !c.required),
            checks,
        }
    }

    async fn database(&self) -> ReadinessCheck {
        match self.shared.store.ping().await {
            Ok(()) => check("database", true, true, "answers".into()),
            Err(error) => check("database", false, true, error.to_string()),
        }
    }

    fn disk(&self) -> ReadinessCheck {
        let dir = std::path::PathBuf::from(self.shared.settings().download_dir);
        // The folder may not exist yet: measure the nearest one that does.
        let existing = dir
            .ancestors()
            .find(|p| p.exists())
            .map(|p| p.to_path_buf());
        match existing.map(|p| fs4::available_space(&p)) {
            Some(Ok(free)) => check(
                "disk space",
                free >= MIN_FREE_BYTES,
                true,
                format!("{} free in {}", gib(free), dir.display()),
            ),
            Some(Err(error)) => check(
                "disk space",
                false,
                true,
                format!("{}: {error}", dir.display()),
            ),
            None => check(
                "disk space",
                false,
                true,
                format!("{} is unreachable", dir.display()),
            ),
        }
    }

    async fn providers(&self) -> Vec<ReadinessCheck> {
        let accounts = crate::Accounts {
            shared: self.shared,
        };
        let mut out = Vec::new();
        for provider in Provider::ALL {
            let label = provider.kind().label();
            let name = format!("provider {label}");
            let view = match tokio::time::timeout(PROVIDER_TIMEOUT, accounts.check(provider)).await
            {
                Ok(Ok(view)) => view,
                Ok(Err(error)) => {
                    out.push(check(&name, false, true, error.message));
                    continue;
                }
                Err(_) => {
                    out.push(check(
                        &name,
                        false,
                        true,
                        format!("{label} did not answer in 10 s"),
                    ));
                    continue;
                }
            };
            if !view.configured {
                out.push(check(&name, true, false, "no account".into()));
            } else if let Some(error) = view.error {
                out.push(check(&name, false, true, error.message));
            } else {
                let who = view.username.unwrap_or_default();
                let premium = if view.premium == Some(true) {
                    ", premium"
                } else {
                    ""
                };
                out.push(check(
                    &name,
                    true,
                    true,
                    format!("signed in as {who}{premium}"),
                ));
            }
        }
        out
    }

    async fn tools(&self) -> Vec<ReadinessCheck> {
        let sources = crate::sources::Sources {
            shared: self.shared,
        };
        sources
            .tools()
            .await
            .into_iter()
            .map(|tool| match (&tool.version, &tool.problem) {
                (Some(version), None) => check(&tool.name, true, false, version.clone()),
                (_, Some(problem)) => check(&tool.name, false, false, problem.clone()),
                (None, None) => check(&tool.name, false, false, "not found".into()),
            })
            .collect()
    }

    async fn face_models(&self) -> ReadinessCheck {
        let faces = crate::faces::Faces {
            shared: self.shared,
        };
        match faces.status().await {
            Ok(status) if status.models_installed => {
                check("face models", true, false, "installed".into())
            }
            Ok(status) => check(
                "face models",
                false,
                false,
                format!("missing: {}", status.missing_models.join(", ")),
            ),
            Err(error) => check("face models", false, false, error.message),
        }
    }
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}
