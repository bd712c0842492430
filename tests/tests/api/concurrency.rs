use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use keyproj_shared::{AuditPage, ProjectDetail, Report, Role};
use reqwest::Method;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::helpers::{SHAOSHAN, Session, all_projects, report_body, spawn_app};
use crate::reports::count;

#[tokio::test]
async fn a_hundred_concurrent_edits_with_one_etag_make_exactly_one_change() {
    let app = spawn_app().await;
    let planner = app.user("li", Role::Planner, None).await;
    let admin = app.user("root", Role::Admin, None).await;
    let before: ProjectDetail = app.json("/api/projects/B09", &[]).await;
    let mut tasks = JoinSet::new();
    for i in 0..100 {
        let s = planner.clone();
        let etag = before.etag.clone();
        tasks.spawn(async move {
            s.patch(
                "/api/projects/B09",
                Some(&etag),
                &json!({"reason": "并发核对", "remarks": format!("第 {i} 次修改")}),
            )
            .await
            .status()
            .as_u16()
        });
    }
    let mut statuses: HashMap<u16, usize> = HashMap::new();
    while let Some(status) = tasks.join_next().await {
        *statuses.entry(status.expect("joined")).or_default() += 1;
    }
    assert_eq!(statuses.get(&200), Some(&1), "{statuses:?}");
    assert_eq!(statuses.get(&412), Some(&99), "{statuses:?}");
    let after: ProjectDetail = app.json("/api/projects/B09", &[]).await;
    if let Some(t) = &app.tally {
        // the acknowledged edit, if it is not there
        t.lost((before.version + 1 - after.version).max(0) as u64);
    }
    assert_eq!(after.version, before.version + 1);
    let trail: AuditPage = admin.json("/api/audit?entity=project&entity_id=B09").await;
    assert_eq!(trail.total, 1, "one change, one audit entry");
}

/// Sends one submission as a careful client does: a lost connection or a busy answer is
/// retried with the same key. Answers the report id it was acknowledged with.
async fn send(s: &Session, code: &str, key: &str, body: &serde_json::Value) -> i64 {
    for attempt in 0.. {
        let sent = s
            .request(Method::POST, &format!("/api/projects/{code}/reports"))
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await;
        let res = match sent {
            Ok(res) => res,
            Err(e) if attempt < 20 => {
                eprintln!("{key}: {e}; retrying with the same key");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
            Err(e) => panic!("{key}: {e}"),
        };
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        // a busy database may answer 503: the client retries, as the key allows
        if status == 503 && attempt < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        }
        assert_eq!(status, 201, "{key}: {text}");
        let r: Report = serde_json::from_str(&text).expect("a report");
        return r.id;
    }
    unreachable!()
}

#[tokio::test]
async fn a_thousand_submissions_with_retried_keys_make_exactly_a_thousand_reports() {
    let app = spawn_app().await;
    let owner = app.user("zhang", Role::Owner, Some(SHAOSHAN)).await;
    let own: Vec<String> = all_projects(&app)
        .await
        .into_iter()
        .filter(|p| p.owners.iter().any(|o| o.name == SHAOSHAN))
        .map(|p| p.code)
        .collect();
    assert!(own.len() >= 10);
    let limit = Arc::new(Semaphore::new(24));
    let mut tasks = JoinSet::new();
    for i in 0..1000usize {
        let s = owner.clone();
        let code = own[i % own.len()].clone();
        let key = format!("submission-{i:04}");
        let period = format!("{}-{:02}", 2021 + (i / 12) % 5, i % 12 + 1);
        let body = report_body(&period, &format!("{}.{:02}", i % 50, i % 100));
        let limit = Arc::clone(&limit);
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await.expect("a permit");
            // each key sent two or three times; every third one twice at once
            let ids = match i % 3 {
                0 => {
                    let (a, b) =
                        tokio::join!(send(&s, &code, &key, &body), send(&s, &code, &key, &body));
                    vec![a, b]
                }
                1 => vec![
                    send(&s, &code, &key, &body).await,
                    send(&s, &code, &key, &body).await,
                    send(&s, &code, &key, &body).await,
                ],
                _ => {
                    let first = send(&s, &code, &key, &body).await;
                    let (a, b) =
                        tokio::join!(send(&s, &code, &key, &body), send(&s, &code, &key, &body));
                    vec![first, a, b]
                }
            };
            (key, ids)
        });
    }
    let mut by_key: HashMap<String, i64> = HashMap::new();
    let mut sends = 0;
    while let Some(done) = tasks.join_next().await {
        let (key, ids) = done.expect("joined");
        sends += ids.len();
        assert!(ids.windows(2).all(|w| w[0] == w[1]), "{key}: {ids:?}");
        by_key.insert(key, ids[0]);
    }
    let distinct: HashSet<i64> = by_key.values().copied().collect();
    if let Some(t) = &app.tally {
        // acknowledged reports that are not there
        t.lost((distinct.len() as i64 - count(&app, "reports")).max(0) as u64);
    }
    assert!(sends >= 2000, "{sends}");
    assert_eq!(by_key.len(), 1000);
    assert_eq!(distinct.len(), 1000);
    assert_eq!(count(&app, "reports"), 1000);
}
