//! `haul faces …` and `haul people …`: face analysis and the people it found.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use haul_core::faces::PersonView;
use haul_core::{Error, ErrorCode};

use crate::library::{open_for_reading, open_for_writing, print_json};

#[derive(Subcommand)]
pub enum FacesCommand {
    /// The face models.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Find the faces in every photo not analysed yet and group them into people.
    /// A command-line run always waits until it is done; --wait says so.
    Scan {
        #[arg(long)]
        wait: bool,
    },
    /// Group every face again from scratch; names, merges, hidden people and
    /// faces moved by hand stay as they are.
    Regroup,
    /// The faces found in a library item.
    List {
        #[arg(value_name = "ITEM_ID")]
        item: i64,
        #[arg(long)]
        json: bool,
    },
    /// Models, photos analysed and to analyse, faces and people.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ModelsCommand {
    /// Install the models from a folder holding the manifest's files (offline
    /// machines): each is checked against its sha256 first.
    Install {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Fetch the missing models from the manifest's address (or faces.modelsUrl).
    Fetch,
}

#[derive(Subcommand)]
pub enum PeopleCommand {
    /// People found, with the library items their faces are in.
    List {
        /// Hidden people too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Name a person (their faces stay with them through any re-grouping).
    Name { id: i64, name: String },
    /// Merge the first person into the second.
    Merge { from: i64, into: i64 },
    /// Hide a person from the People page.
    Hide { id: i64 },
    /// Show a hidden person again.
    Show { id: i64 },
    /// Move a face to a person, or with --nobody to no one.
    Move {
        face: i64,
        #[arg(required_unless_present = "nobody")]
        person: Option<i64>,
        #[arg(long, conflicts_with = "person")]
        nobody: bool,
    },
    /// "Not this person": take a face away from its person for good.
    Reject { face: i64 },
    /// "This is NAME": the largest face in a library item becomes a reference
    /// photo of that person.
    Reference {
        name: String,
        #[arg(value_name = "ITEM_ID")]
        item: i64,
    },
}

pub async fn faces(data_dir: &Path, command: FacesCommand) -> haul_core::Result<ExitCode> {
    match command {
        FacesCommand::Models(ModelsCommand::Install { dir }) => {
            let core = open_for_writing(data_dir).await?;
            for path in core.faces().install_models(&dir).await? {
                println!("installed {}", path.display());
            }
            core.shutdown().await;
        }
        FacesCommand::Models(ModelsCommand::Fetch) => {
            let core = open_for_writing(data_dir).await?;
            core.faces().fetch_models().await?;
            println!("face models installed");
            core.shutdown().await;
        }
        FacesCommand::Scan { wait: _ } => {
            let core = match open_for_writing(data_dir).await {
                Err(error) if error.code == ErrorCode::DataDirInUse => {
                    return Err(Error::new(
                        ErrorCode::DataDirInUse,
                        "Haul is running and analyses faces in the background; see its status bar.",
                    ));
                }
                other => other?,
            };
            let report = core.faces().scan().await?;
            println!(
                "{} photos analysed, {} faces, {} failed, {} new people",
                report.analysed, report.faces, report.failed, report.new_people
            );
            core.shutdown().await;
        }
        FacesCommand::Regroup => {
            let core = open_for_writing(data_dir).await?;
            let created = core.faces().regroup().await?;
            println!("grouped again: {created} people formed");
            core.shutdown().await;
        }
        FacesCommand::List { item, json } => {
            let core = open_for_reading(data_dir).await?;
            let faces = core.faces().item_faces(item).await?;
            if json {
                print_json(&faces)?;
            } else if faces.is_empty() {
                println!("No faces in item #{item}.");
            } else {
                for face in &faces {
                    println!(
                        "{:>6}  score {:.2}  quality {:.2}  {}{}",
                        face.id,
                        face.score,
                        face.quality,
                        face.person_name
                            .clone()
                            .or_else(|| face.person_id.map(|id| format!("person #{id}")))
                            .unwrap_or_else(|| "nobody".into()),
                        if face.pinned { " (by hand)" } else { "" }
                    );
                }
            }
        }
        FacesCommand::Status { json } => {
            let core = open_for_reading(data_dir).await?;
            let status = core.faces().status().await?;
            if json {
                print_json(&status)?;
            } else {
                if status.models_installed {
                    println!("models: installed");
                } else {
                    println!("models: missing {}", status.missing_models.join(", "));
                }
                println!(
                    "photos: {} analysed, {} to analyse, {} failed\nfaces: {}\npeople: {}",
                    status.analysed, status.pending, status.failed, status.faces, status.people
                );
                if let Some(error) = status.error {
                    println!("last error: {error}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct PersonJson {
    #[serde(flatten)]
    person: PersonView,
    items: Vec<ItemJson>,
}

#[derive(serde::Serialize)]
struct ItemJson {
    id: i64,
    path: String,
}

pub async fn people(data_dir: &Path, command: PeopleCommand) -> haul_core::Result<ExitCode> {
    match command {
        PeopleCommand::List { all, json } => {
            let core = open_for_reading(data_dir).await?;
            let mut people = Vec::new();
            for person in core.faces().people(all).await? {
                let items = core
                    .faces()
                    .person_items(person.id)
                    .await?
                    .into_iter()
                    .map(|(id, path)| ItemJson { id, path })
                    .collect();
                people.push(PersonJson { person, items });
            }
            if json {
                print_json(&people)?;
            } else if people.is_empty() {
                println!("Nobody yet: run `haul faces scan` after adding photos to the library.");
            } else {
                for entry in &people {
                    let p = &entry.person;
                    println!(
                        "{:>6}  {:<24} {:>5} faces {:>5} photos{}",
                        p.id,
                        p.name.as_deref().unwrap_or("(unnamed)"),
                        p.face_count,
                        p.item_count,
                        if p.hidden { "  hidden" } else { "" }
                    );
                }
            }
        }
        PeopleCommand::Name { id, name } => {
            let core = open_for_writing(data_dir).await?;
            let person = core.faces().name(id, &name).await?;
            println!(
                "#{} is now {}",
                person.id,
                person.name.as_deref().unwrap_or("unnamed")
            );
            core.shutdown().await;
        }
        PeopleCommand::Merge { from, into } => {
            let core = open_for_writing(data_dir).await?;
            let person = core.faces().merge(from, into).await?;
            println!(
                "merged #{from} into #{}: {} faces",
                person.id, person.face_count
            );
            core.shutdown().await;
        }
        PeopleCommand::Hide { id } | PeopleCommand::Show { id } => {
            let hidden = matches!(command, PeopleCommand::Hide { .. });
            let core = open_for_writing(data_dir).await?;
            core.faces().set_hidden(id, hidden).await?;
            core.shutdown().await;
        }
        PeopleCommand::Move {
            face,
            person,
            nobody: _,
        } => {
            let core = open_for_writing(data_dir).await?;
            core.faces().move_face(face, person).await?;
            core.shutdown().await;
        }
        PeopleCommand::Reject { face } => {
            let core = open_for_writing(data_dir).await?;
            core.faces().reject(face).await?;
            core.shutdown().await;
        }
        PeopleCommand::Reference { name, item } => {
            let core = open_for_writing(data_dir).await?;
            let person = core.faces().add_reference(&name, item).await?;
            println!("reference added to #{}", person.id);
            core.shutdown().await;
        }
    }
    Ok(ExitCode::SUCCESS)
}
