//! `jobguard`: scan pages, evaluate the detector on labelled data, train its model, and build, lint, sign and verify packs.

mod calib;
mod data;
mod disguise;
mod eval;
mod pack_cmd;
mod scan;
mod train;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jobguard::Classifier;

#[derive(Parser)]
#[command(name = "jobguard", version, about = "Warns about scam job ads: scores pages with a JobGuard rule pack")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read HTML pages (posting or list; any charset) or score text files (`-` for stdin); one JSON line each.
    Scan(scan::ScanArgs),
    /// Measure the detector on labelled JSON lines (`text`, `label` = scam|legit).
    Eval(eval::EvalArgs),
    /// Fit the learned model on labelled JSON lines and write it into the rules (cross-validated, calibrated).
    Train(train::TrainArgs),
    /// Build, lint, sign and verify rule packs.
    Pack {
        #[command(subcommand)]
        command: pack_cmd::PackCommand,
    },
}

/// An error for the user: printed as `jobguard: <message>`, exit code 1.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// The classifier from `--pack` (a pack JSON, or a signed envelope whose pack is used unverified), or from
/// the rules bundled at build time.
pub fn load_classifier(pack: Option<&Path>) -> Result<Classifier, CliError> {
    let Some(path) = pack else {
        let p = jobguard::bundled::pack().map_err(|e| CliError(format!("bundled rules: {e}")))?;
        return Classifier::new(p).map_err(|e| CliError(format!("bundled pack: {e}")));
    };
    let text = read_input(path)?;
    let json = match serde_json::from_str::<jobguard::signing::SignedPack>(&text) {
        Ok(env) => {
            eprintln!(
                "jobguard: {}: signed pack; its signature is not checked by scan (use `jobguard pack verify`)",
                path.display()
            );
            env.pack
        }
        Err(_) => text,
    };
    Classifier::from_json(&json).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

/// Reads a file, or stdin for `-`, naming the file in errors.
pub fn read_input(path: &Path) -> Result<String, CliError> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| CliError(format!("stdin: {e}")))?;
        return Ok(s);
    }
    let bytes = std::fs::read(path).map_err(|e| CliError(format!("{}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| CliError(format!("{}: not UTF-8 text ({e})", path.display())))
}

/// Writes a file, or stdout for `-`.
pub fn write_output(path: &PathBuf, text: &str) -> Result<(), CliError> {
    if path.as_os_str() == "-" {
        println!("{text}");
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match cli.command {
        Command::Scan(a) => scan::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Train(a) => train::run(a),
        Command::Pack { command } => pack_cmd::run(command),
    };
    match res {
        Ok(code) => code,
        Err(CliError(m)) => {
            eprintln!("jobguard: {m}");
            ExitCode::from(1)
        }
    }
}
