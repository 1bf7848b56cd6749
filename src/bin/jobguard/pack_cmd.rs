//! `jobguard pack ...`: build and lint packs from `rules/`, make keys, sign and verify packs.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Subcommand;
use jobguard::pack::source::{build_dir, SourceError};
use jobguard::signing::{self, encode_signing_key, encode_verifying_key, parse_signing_key, parse_verifying_key};
use jobguard::{Classifier, Pack};

use crate::{read_input, write_output, CliError};

/// Subcommands of `jobguard pack`.
#[derive(Subcommand)]
pub enum PackCommand {
    /// Compile rule sources into one pack JSON.
    Build {
        /// The rules folder.
        dir: PathBuf,
        /// Where to write the pack (`-` for stdout).
        #[arg(short, long, default_value = "-")]
        output: PathBuf,
    },
    /// Report every bad rule with its file and line.
    Lint {
        /// The rules folder.
        dir: PathBuf,
    },
    /// Make an Ed25519 key pair: PREFIX.secret and PREFIX.public (base64).
    Keygen {
        /// Path prefix of the two files.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Sign a pack JSON into a signed envelope.
    Sign {
        /// Secret key file.
        #[arg(long)]
        key: PathBuf,
        /// Key id written to the header.
        #[arg(long, default_value = "dev")]
        key_id: String,
        /// Set the pack's version before signing (it must only grow).
        #[arg(long)]
        version: Option<u64>,
        /// Creation time, Unix seconds (default: now).
        #[arg(long)]
        created: Option<i64>,
        /// Days until it expires.
        #[arg(long, default_value_t = 90)]
        expires_days: i64,
        /// Expiry, Unix seconds (overrides --expires-days).
        #[arg(long)]
        expires: Option<i64>,
        /// The pack JSON.
        pack: PathBuf,
        /// Where to write the envelope (`-` for stdout).
        #[arg(short, long, default_value = "-")]
        output: PathBuf,
    },
    /// Check a signed pack: signature, expiry, version, and that every rule compiles.
    Verify {
        /// Trusted public key file (repeat for several).
        #[arg(long = "pubkey", required = true)]
        pubkeys: Vec<PathBuf>,
        /// Lowest acceptable version.
        #[arg(long, default_value_t = 0)]
        min_version: u64,
        /// Check as of this time, Unix seconds (default: now).
        #[arg(long)]
        now: Option<i64>,
        /// The signed pack.
        signed: PathBuf,
    },
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn lint_error(e: SourceError) -> CliError {
    CliError(e.to_string())
}

pub fn run(cmd: PackCommand) -> Result<ExitCode, CliError> {
    match cmd {
        PackCommand::Build { dir, output } => {
            let pack = build_dir(&dir).map_err(lint_error)?;
            write_output(&output, &pack.to_json())?;
            eprintln!("jobguard: pack {} version {}: {} rules", pack.name, pack.version, pack.rule_count());
        }
        PackCommand::Lint { dir } => match build_dir(&dir) {
            Ok(p) => println!("{}: {} rules, no problems", dir.display(), p.rule_count()),
            Err(SourceError::Lint(issues)) => {
                for i in &issues {
                    println!("{}/{i}", dir.display());
                }
                eprintln!("jobguard: {} problem(s); the pack would be refused", issues.len());
                return Ok(ExitCode::from(1));
            }
            Err(e) => return Err(lint_error(e)),
        },
        PackCommand::Keygen { output } => {
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed).map_err(|e| CliError(format!("no randomness: {e}")))?;
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            let secret = output.with_extension("secret");
            let public = output.with_extension("public");
            std::fs::write(&secret, format!("{}\n", encode_signing_key(&key)))
                .map_err(|e| CliError(format!("{}: {e}", secret.display())))?;
            std::fs::write(&public, format!("{}\n", encode_verifying_key(&key.verifying_key())))
                .map_err(|e| CliError(format!("{}: {e}", public.display())))?;
            println!("wrote {} and {}", secret.display(), public.display());
        }
        PackCommand::Sign { key, key_id, version, created, expires_days, expires, pack, output } => {
            let key = parse_signing_key(&read_input(&key)?).map_err(|e| CliError(format!("{}: {e}", key.display())))?;
            let text = read_input(&pack)?;
            let mut p = Pack::from_json(&text).map_err(|e| CliError(format!("{}: {e}", pack.display())))?;
            if let Some(v) = version {
                p.version = v;
            }
            Classifier::new(p.clone()).map_err(|e| CliError(format!("{}: {e}", pack.display())))?;
            let created = created.unwrap_or_else(now);
            let expires = expires.unwrap_or(created + expires_days * 86_400);
            let env = signing::sign_pack(&p.to_json(), &key, &key_id, created, expires)?;
            write_output(&output, &serde_json::to_string(&env)?)?;
            eprintln!("jobguard: signed pack version {} (expires {expires})", env.header.version);
        }
        PackCommand::Verify { pubkeys, min_version, now: at, signed } => {
            let keys = pubkeys
                .iter()
                .map(|p| parse_verifying_key(&read_input(p)?).map_err(|e| CliError(format!("{}: {e}", p.display()))))
                .collect::<Result<Vec<_>, _>>()?;
            let text = read_input(&signed)?;
            let ok = signing::verify_signed(&text, &keys, at.unwrap_or_else(now), min_version)
                .map_err(|e| CliError(format!("{}: refused: {e}", signed.display())))?;
            let c =
                Classifier::from_json(&ok.pack).map_err(|e| CliError(format!("{}: refused: {e}", signed.display())))?;
            let h = &ok.header;
            println!(
                "{}: ok: pack {} version {}, {} rules, created {}, expires {}, key {}",
                signed.display(),
                c.pack().name,
                h.version,
                c.pack().rule_count(),
                h.created,
                h.expires,
                h.key_id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
