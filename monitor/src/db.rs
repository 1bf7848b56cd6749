//! The database: a SQLite file or PostgreSQL behind sqlx's `Any` driver, its connection pools and the
//! embedded migrations for each backend.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};
use thiserror::Error;

/// Why the database could not be opened.
#[derive(Debug, Error)]
pub enum DbError {
    /// The URL names no backend this service speaks.
    #[error("unsupported database URL {0:?}: use sqlite://FILE or postgres://...")]
    Unsupported(String),
    /// Connecting failed.
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// Which backend a [`Db`] talks to (a few statements differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Connection pools. On SQLite every write goes through a single connection, because SQLite allows one
/// writer at a time and a transaction that upgrades from read to write would fail with `SQLITE_BUSY`
/// instead of waiting; reads use a separate pool. On PostgreSQL both are the same pool.
#[derive(Debug, Clone)]
pub struct Db {
    /// For reads.
    pub read: AnyPool,
    /// For writes (and reads inside write transactions).
    pub write: AnyPool,
    /// The backend.
    pub backend: Backend,
}

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_URL: &str = "sqlite://jobguard-monitor.db";

const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
    (2, "indicators", include_str!("../migrations/sqlite/0002_indicators.sql")),
    (3, "scans", include_str!("../migrations/sqlite/0003_scans.sql")),
    (4, "clusters", include_str!("../migrations/sqlite/0004_clusters.sql")),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/postgres/0001_init.sql")),
    (2, "indicators", include_str!("../migrations/postgres/0002_indicators.sql")),
    (3, "scans", include_str!("../migrations/postgres/0003_scans.sql")),
    (4, "clusters", include_str!("../migrations/postgres/0004_clusters.sql")),
];

/// The migrations compiled into the binary, so the service needs no files beside it.
#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        let list = self
            .0
            .iter()
            .map(|(v, d, sql)| Migration::new(*v, Cow::Borrowed(*d), MigrationType::Simple, Cow::Borrowed(*sql), false))
            .collect();
        Box::pin(async move { Ok(list) })
    }
}

impl Db {
    /// Opens (creating a SQLite file if needed) and migrates the database named by `url`.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            if rest.contains(":memory:") || rest.contains("mode=memory") {
                // Each pool would get its own empty database, and every report would vanish at exit.
                return Err(DbError::Unsupported(format!("{url} (in-memory SQLite: give a file)")));
            }
            // Create the file unless the URL already says how to open it.
            let url = if rest.contains("mode=") {
                url.to_string()
            } else if rest.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(DbError::Unsupported(url.to_string()));
        };
        let db = match backend {
            Backend::Sqlite => {
                let write = sqlite_pool(1).connect(&url).await.map_err(DbError::Connect)?;
                // WAL lets readers run while the writer commits; it is a property of the file, set once.
                write.execute("PRAGMA journal_mode = WAL").await.map_err(DbError::Connect)?;
                let read = sqlite_pool(4).connect(&url).await.map_err(DbError::Connect)?;
                Db { read, write, backend }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(&url)
                    .await
                    .map_err(DbError::Connect)?;
                Db { read: pool.clone(), write: pool, backend }
            }
        };
        let source = match backend {
            Backend::Sqlite => Embedded(SQLITE_MIGRATIONS),
            Backend::Postgres => Embedded(POSTGRES_MIGRATIONS),
        };
        let migrator = Migrator::new(source).await.map_err(DbError::Migrate)?;
        migrator.run(&db.write).await.map_err(DbError::Migrate)?;
        Ok(db)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.read).await.map(|_| ())
    }

    /// Closes the pools, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new().max_connections(max).acquire_timeout(Duration::from_secs(30)).after_connect(|conn, _| {
        Box::pin(async move {
            // synchronous = FULL: a commit (and so a 201) is on disk, not only in the OS cache.
            conn.execute("PRAGMA synchronous = FULL").await?;
            conn.execute("PRAGMA foreign_keys = ON").await?;
            conn.execute("PRAGMA busy_timeout = 10000").await?;
            Ok(())
        })
    })
}

/// True when `e` is a unique-constraint violation (a concurrent insert of the same key won).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => matches!(d.kind(), sqlx::error::ErrorKind::UniqueViolation),
        _ => false,
    }
}
