//! Relabelling an image without a build.
//!
//! A `LABEL` build step costs a container (created, committed, removed)
//! and the build's round trips, for what is only a change of the image's
//! configuration. An image is its configuration plus layers the engine
//! already holds, so the relabelled image is made here as an archive of
//! just a new configuration and a manifest naming it: loading it, the
//! engine finds every layer in its store and reads none from the archive
//! (`docker load` skips a layer whose chain it already has). No container,
//! no layer, no build cache entry; the labels and tag are those a build
//! would give.
//!
//! The configuration is rebuilt from what the engine shows of the image
//! (its inspection and history). Where that cannot be done faithfully,
//! chiefly when the history does not tell which steps made a layer, the
//! answer is `None` and the caller builds as before.

use std::collections::BTreeMap;

use bollard::models::{HistoryResponseItem, ImageInspect};
use serde_json::{json, Map, Value};

/// The history as an image configuration holds it (oldest first), with
/// `empty_layer` set on the steps that made no layer; `None` when which
/// steps those are cannot be told from the engine's history, which lists
/// sizes but not whether a step made a layer.
fn history_entries(history: &[HistoryResponseItem], layers: usize) -> Option<Vec<Value>> {
    let oldest_first: Vec<&HistoryResponseItem> = history.iter().rev().collect();
    let sized = oldest_first.iter().filter(|h| h.size > 0).count();
    // A step of size 0 made no layer when it was a classic builder's
    // metadata step (`#(nop)` without a file copy), and in any case when
    // the sized steps alone account for every layer.
    let metadata = |h: &HistoryResponseItem| {
        h.created_by.contains("#(nop)")
            && !h.created_by.contains(" COPY ")
            && !h.created_by.contains(" ADD ")
    };
    let unsized_layers = oldest_first
        .iter()
        .filter(|h| h.size == 0 && !metadata(h))
        .count();
    let empty: Box<dyn Fn(&HistoryResponseItem) -> bool> = if sized == layers {
        Box::new(|h| h.size == 0)
    } else if sized + unsized_layers == layers {
        Box::new(|h| h.size == 0 && metadata(h))
    } else {
        return None;
    };
    let entries = oldest_first
        .iter()
        .map(|h| {
            let mut e = Map::new();
            e.insert("created".into(), Value::String(rfc3339(h.created)));
            if !h.created_by.is_empty() {
                e.insert("created_by".into(), Value::String(h.created_by.clone()));
            }
            if !h.comment.is_empty() {
                e.insert("comment".into(), Value::String(h.comment.clone()));
            }
            if empty(h) {
                e.insert("empty_layer".into(), Value::Bool(true));
            }
            Value::Object(e)
        })
        .collect();
    Some(entries)
}

fn rfc3339(unix: i64) -> String {
    dokku_core::time::Utc::from_unix(unix).iso8601()
}

/// The configuration of `inspect`'s image with `labels` added to its own
/// (a label of the same name replaced) and a history step saying so,
/// created at `now`; `None` when it cannot be rebuilt faithfully.
pub fn relabelled_config(
    inspect: &ImageInspect,
    history: &[HistoryResponseItem],
    labels: &BTreeMap<String, String>,
    now: i64,
) -> Option<Value> {
    let mut image = image_config(inspect, history)?;
    add_labels(&mut image, labels, now);
    Some(image)
}

/// The configuration of `inspect`'s image as the engine holds it (rebuilt
/// from its inspection and history); `None` when that cannot be done
/// faithfully.
fn image_config(inspect: &ImageInspect, history: &[HistoryResponseItem]) -> Option<Value> {
    let root = inspect.root_fs.as_ref()?;
    if root.typ != "layers" {
        return None;
    }
    let diff_ids = root.layers.clone().unwrap_or_default();
    let steps = history_entries(history, diff_ids.len())?;
    let config = serde_json::to_value(inspect.config.clone()?).ok()?;
    if !config.is_object() {
        return None;
    }
    let mut image = Map::new();
    image.insert(
        "architecture".into(),
        Value::String(
            inspect
                .architecture
                .clone()
                .unwrap_or_else(|| "amd64".into()),
        ),
    );
    for (key, value) in [
        ("author", &inspect.author),
        ("variant", &inspect.variant),
        ("os.version", &inspect.os_version),
        ("docker_version", &inspect.docker_version),
    ] {
        if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
            image.insert(key.into(), Value::String(v.clone()));
        }
    }
    image.insert("config".into(), config);
    image.insert("history".into(), Value::Array(steps));
    image.insert(
        "os".into(),
        Value::String(inspect.os.clone().unwrap_or_else(|| "linux".into())),
    );
    image.insert(
        "rootfs".into(),
        json!({ "type": "layers", "diff_ids": diff_ids }),
    );
    Some(Value::Object(image))
}

/// Add `labels` to an image configuration (a label of the same name
/// replaced), with a history step saying so, made at `now`.
pub fn add_labels(image: &mut Value, labels: &BTreeMap<String, String>, now: i64) {
    let Value::Object(image) = image else {
        return;
    };
    if let Some(Value::Object(config)) = image.get_mut("config") {
        let mut merged = match config.remove("Labels") {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        for (k, v) in labels {
            merged.insert(k.clone(), Value::String(v.clone()));
        }
        config.insert("Labels".into(), Value::Object(merged));
    }
    let step = json!({
        "created": rfc3339(now),
        // In the classic builder's form of a metadata step, so that this
        // step is known to have made no layer when the image is relabelled
        // again.
        "created_by": format!("/bin/sh -c #(nop)  LABEL {}", label_words(labels)),
        "comment": "dokku relabel",
        "empty_layer": true,
    });
    match image.get_mut("history") {
        Some(Value::Array(steps)) => steps.push(step),
        _ => {
            image.insert("history".into(), Value::Array(vec![step]));
        }
    }
    image.insert("created".into(), Value::String(rfc3339(now)));
}

/// `k=v` pairs as a history line shows them.
fn label_words(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The archive `docker load` takes for images over the same layers: each
/// configuration, tagged as given (or left untagged), and a manifest naming
/// one (absent) layer file per layer.
pub fn load_archive(images: &[(&[u8], Option<&str>)], layers: usize) -> std::io::Result<Vec<u8>> {
    let layer_files: Vec<String> = (0..layers).map(|i| format!("{i}/layer.tar")).collect();
    let manifest: Vec<Value> = images
        .iter()
        .enumerate()
        .map(|(i, (_, tag))| {
            json!({
                "Config": format!("config-{i}.json"),
                "RepoTags": tag.map(|t| vec![t]).unwrap_or_default(),
                "Layers": layer_files,
            })
        })
        .collect();
    let manifest = serde_json::to_vec(&manifest)?;
    let mut tar = tar::Builder::new(Vec::new());
    let configs = images
        .iter()
        .enumerate()
        .map(|(i, (config, _))| (format!("config-{i}.json"), *config));
    for (name, data) in configs.chain([("manifest.json".to_string(), manifest.as_slice())]) {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_cksum();
        tar.append_data(&mut header, name, data)?;
    }
    tar.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::ImageInspectRootFs;

    fn step(created_by: &str, size: i64) -> HistoryResponseItem {
        HistoryResponseItem {
            id: "<missing>".into(),
            created: 1_700_000_000,
            created_by: created_by.into(),
            tags: Vec::new(),
            size,
            comment: String::new(),
        }
    }

    fn inspect(layers: usize) -> ImageInspect {
        ImageInspect {
            architecture: Some("amd64".into()),
            os: Some("linux".into()),
            config: Some(bollard::models::ContainerConfig {
                cmd: Some(vec!["/bin/sh".into()]),
                labels: Some(
                    [
                        ("a".to_string(), "1".to_string()),
                        ("stage".into(), "build".into()),
                    ]
                    .into(),
                ),
                ..Default::default()
            }),
            root_fs: Some(ImageInspectRootFs {
                typ: "layers".into(),
                layers: Some((0..layers).map(|i| format!("sha256:{i}")).collect()),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn labels_are_added_and_replaced_and_the_rest_kept() {
        // Engine history is newest first.
        let history = [
            step("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", 0),
            step("/bin/sh -c #(nop) COPY file:1 in /bin ", 10),
        ];
        let labels = BTreeMap::from([("stage".to_string(), "release".to_string())]);
        let c = relabelled_config(&inspect(1), &history, &labels, 1_700_000_100).expect("config");
        assert_eq!(c["config"]["Labels"], json!({"a": "1", "stage": "release"}));
        assert_eq!(c["config"]["Cmd"], json!(["/bin/sh"]));
        assert_eq!(
            c["rootfs"],
            json!({"type": "layers", "diff_ids": ["sha256:0"]})
        );
        assert_eq!(c["created"], json!("2023-11-14T22:15:00Z"));
        let h = c["history"].as_array().expect("history");
        assert_eq!(h.len(), 3);
        assert_eq!(h[0].get("empty_layer"), None, "the COPY made the layer");
        assert_eq!(h[1]["empty_layer"], json!(true));
        assert_eq!(
            h[2]["created_by"],
            json!("/bin/sh -c #(nop)  LABEL stage=release")
        );
    }

    #[test]
    fn a_history_that_does_not_add_up_is_refused() {
        // Two layers, but only one step could have made one.
        let history = [
            step("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", 0),
            step("/bin/sh -c #(nop) COPY file:1 in /bin ", 10),
        ];
        let labels = BTreeMap::new();
        assert_eq!(relabelled_config(&inspect(2), &history, &labels, 0), None);
    }

    #[test]
    fn unsized_layer_steps_count_when_the_sizes_do_not_add_up() {
        // A RUN that changed nothing still made a (zero-size) layer.
        let history = [
            step("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", 0),
            step("/bin/sh -c true", 0),
            step("/bin/sh -c #(nop) COPY file:1 in /bin ", 10),
        ];
        let c = relabelled_config(&inspect(2), &history, &BTreeMap::new(), 0).expect("config");
        let h = c["history"].as_array().expect("history");
        assert_eq!(h[0].get("empty_layer"), None);
        assert_eq!(h[1].get("empty_layer"), None);
        assert_eq!(h[2]["empty_layer"], json!(true));
    }

    #[test]
    fn steps_of_unknown_kind_and_size_zero_are_refused() {
        // BuildKit's metadata steps carry no `#(nop)`: whether `LABEL x=1`
        // or the RUN made the second layer cannot be told.
        let history = [
            step("LABEL x=1", 0),
            step("RUN /bin/sh -c true # buildkit", 0),
            step("COPY busybox /bin # buildkit", 10),
        ];
        assert_eq!(
            relabelled_config(&inspect(2), &history, &BTreeMap::new(), 0),
            None
        );
    }

    #[test]
    fn the_archive_names_each_config_and_one_layer_per_diff() {
        let images: [(&[u8], Option<&str>); 2] =
            [(b"{}", Some("dokku/app:latest")), (b"{\"a\":1}", None)];
        let tar = load_archive(&images, 2).expect("tar");
        let mut archive = tar::Archive::new(tar.as_slice());
        let mut names = Vec::new();
        let mut manifest = Vec::new();
        for entry in archive.entries().expect("entries") {
            let mut entry = entry.expect("entry");
            let name = entry.path().expect("path").display().to_string();
            if name == "manifest.json" {
                std::io::Read::read_to_end(&mut entry, &mut manifest).expect("read");
            }
            names.push(name);
        }
        assert_eq!(names, ["config-0.json", "config-1.json", "manifest.json"]);
        let m: Value = serde_json::from_slice(&manifest).expect("json");
        let layers = json!(["0/layer.tar", "1/layer.tar"]);
        assert_eq!(
            m,
            json!([
                {"Config": "config-0.json", "RepoTags": ["dokku/app:latest"], "Layers": layers},
                {"Config": "config-1.json", "RepoTags": [], "Layers": layers},
            ])
        );
    }

    #[test]
    fn labels_add_up_step_by_step() {
        let history = [step("/bin/sh -c #(nop) ADD file:x in /", 10)];
        let first = BTreeMap::from([("stage".to_string(), "build".to_string())]);
        let mut c =
            relabelled_config(&inspect(1), &history, &first, 1_700_000_100).expect("config");
        let second = BTreeMap::from([("stage".to_string(), "release".to_string())]);
        add_labels(&mut c, &second, 1_700_000_200);
        assert_eq!(c["config"]["Labels"], json!({"a": "1", "stage": "release"}));
        let steps = c["history"].as_array().expect("history");
        assert_eq!(steps.len(), 3);
        assert_eq!(
            steps[2]["created_by"],
            "/bin/sh -c #(nop)  LABEL stage=release"
        );
        assert_eq!(c["created"], steps[2]["created"]);
        assert_eq!(c["rootfs"]["diff_ids"], json!(["sha256:0"]));
    }
}
