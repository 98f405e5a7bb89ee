//! `GET /api/health`, public: the snapshot served, its freshness and the last build (the
//! `status` command's figures), whether the admin API is on and a refresh is running.
//! 200 while the current snapshot can be served; 503 when nothing is published, or when
//! the current snapshot cannot be served as its manifest says (manifest missing or not its
//! own, `index.html` or a file found damaged not matching; see `files::SnapshotIndex::check`).
//! The answer is reused for a second, since computing it reads the whole build log.

use super::headers::Reply;
use crate::store::Site;
use crate::store::status::{self, Thresholds};
use serde_json::json;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(1);

/// How the current snapshot stands.
pub enum Serving {
    Snapshot(String),
    Nothing,
    Damaged { id: String, problem: String },
}

pub struct Health {
    site: Site,
    cache: Mutex<Option<(Instant, u16, serde_json::Value)>>,
}

impl Health {
    pub fn new(site: &Site) -> Health {
        Health {
            site: site.clone(),
            cache: Mutex::new(None),
        }
    }

    /// `serving` is asked only when the cached answer is stale.
    pub fn reply(
        &self,
        serving: impl FnOnce() -> Serving,
        admin_enabled: bool,
        refreshing: bool,
    ) -> Reply {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, status, body)) = cache.as_ref()
            && at.elapsed() < TTL
        {
            return Reply::json(*status, body);
        }
        let (status, body) = match status::status(
            &self.site,
            Thresholds::default(),
            chrono::Utc::now(),
        ) {
            Ok(mut s) => {
                // Error texts name server paths; the admin API has them in full.
                if let Some(b) = s.last_build.as_mut() {
                    b.error = None;
                }
                let mut body = json!(s);
                body["admin_enabled"] = json!(admin_enabled);
                body["refresh_running"] = json!(refreshing);
                match serving() {
                    Serving::Snapshot(id) => {
                        body["serving"] = json!(id);
                        (200, body)
                    }
                    Serving::Nothing => {
                        body["serving"] = json!(null);
                        body["healthy"] = json!(false);
                        body["error"] = json!({"code": "NO_SNAPSHOT_AVAILABLE", "message": "nothing is published yet"});
                        (503, body)
                    }
                    Serving::Damaged { id, problem } => {
                        body["serving"] = json!(null);
                        body["healthy"] = json!(false);
                        body["error"] = json!({
                            "code": "SNAPSHOT_DAMAGED",
                            "message": format!("the current snapshot {id} cannot be served: {problem}; run `toaststats snapshots verify`"),
                        });
                        (503, body)
                    }
                }
            }
            Err(_) => (
                500,
                json!({"error": {"code": "STORE_UNREADABLE", "message": "the build log cannot be read"}}),
            ),
        };
        *cache = Some((Instant::now(), status, body.clone()));
        Reply::json(status, &body)
    }
}
