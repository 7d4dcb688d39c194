//! What every command and trigger handler receives.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use dokku_core::{Error, Paths, Result};
use dokku_docker::{ContainerEngine, DockerEngine, EngineError};
use dokku_output::Output;

use crate::bus::Bus;
use crate::release::memo::{ImageMemo, Watched};

/// Global flags given before the command (or through the environment).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--quiet` / `DOKKU_QUIET_OUTPUT`.
    pub quiet: bool,
    /// `--force` / `DOKKU_APPS_FORCE_DELETE`.
    pub force: bool,
    /// `--trace` / `DOKKU_TRACE`.
    pub trace: bool,
    /// `--app` / `DOKKU_APP_NAME`.
    pub app: Option<String>,
    /// `--detach` / `DOKKU_DETACH_CONTAINER`: one-off containers start
    /// detached.
    pub detach: bool,
}

/// A reader container (see [`Ctx::read_image_file`]), once made: its id,
/// `None` when the engine refused it. Whoever asks while another thread
/// makes it waits for that one.
type Reader = Arc<OnceLock<Option<String>>>;

/// The key of the reader of `spec`: its image and labels.
fn reader_key(spec: &dokku_docker::ContainerSpec) -> String {
    format!("{}\0{:?}", spec.image, spec.labels)
}

/// The one container engine of a command run: empty until something needs
/// it, then connected once and shared by every clone of the context, with
/// what the command learned about images (see [`crate::release`]).
#[derive(Default)]
struct EngineSlot {
    engine: OnceLock<Arc<dyn ContainerEngine>>,
    /// Held while connecting, so concurrent first uses connect once.
    connecting: Mutex<()>,
    images: Arc<ImageMemo>,
    /// Containers created (never started) to read files out of images,
    /// one per image and labels, removed when the command ends.
    readers: Mutex<HashMap<String, Reader>>,
    /// Engine work the command does not wait for (see
    /// [`Ctx::in_background`]), finished before the command ends.
    background: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

impl Drop for EngineSlot {
    fn drop(&mut self) {
        let background = std::mem::take(
            self.background
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for handle in background {
            let _ = handle.join();
        }
        let readers = std::mem::take(
            self.readers
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner),
        );
        if let Some(engine) = self.engine.get() {
            for cid in readers.values().filter_map(|r| r.get().cloned().flatten()) {
                let _ = engine.remove_container(&cid, true);
            }
        }
    }
}

impl EngineSlot {
    fn with(engine: Arc<dyn ContainerEngine>) -> Self {
        let slot = EngineSlot::default();
        let _ = slot.engine.set(slot.watched(engine));
        slot
    }

    fn watched(&self, engine: Arc<dyn ContainerEngine>) -> Arc<dyn ContainerEngine> {
        Arc::new(Watched::new(engine, self.images.clone()))
    }

    fn get(&self) -> std::result::Result<&Arc<dyn ContainerEngine>, EngineError> {
        if let Some(engine) = self.engine.get() {
            return Ok(engine);
        }
        let _connecting = self
            .connecting
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(engine) = self.engine.get() {
            return Ok(engine);
        }
        let engine = self.watched(Arc::new(DockerEngine::connect()?));
        Ok(self.engine.get_or_init(|| engine))
    }
}

/// What a plugin puts off until a batch ends.
type Finisher = fn(&Ctx) -> Result<()>;

/// An open batch: the finishers plugins registered (each once, in order)
/// and their per-type state.
#[derive(Default)]
struct BatchSlot {
    open: bool,
    finishers: Vec<(&'static str, Finisher)>,
    states: HashMap<TypeId, Box<dyn Any + Send>>,
}

/// The context of one command run.
#[derive(Clone)]
pub struct Ctx {
    /// Where state lives.
    pub paths: Paths,
    /// Where output goes.
    pub out: Output,
    /// Global flags.
    pub flags: Flags,
    /// The trigger bus.
    pub bus: Arc<Bus>,
    /// The container engine, shared by clones.
    engine: Arc<EngineSlot>,
    /// Work deferred while one command acts on many apps.
    batch: Arc<Mutex<BatchSlot>>,
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("paths", &self.paths)
            .field("flags", &self.flags)
            .field("engine_connected", &self.engine.engine.get().is_some())
            .finish()
    }
}

impl Ctx {
    /// A context with no trigger handlers and default flags: for unit tests
    /// of code that needs a context but fires no triggers.
    pub fn bare(paths: Paths, out: Output) -> Self {
        Ctx::new(paths, out, Flags::default(), Arc::new(Bus::default()))
    }

    /// A context over the given pieces; the container engine is connected
    /// on first use.
    pub fn new(paths: Paths, out: Output, flags: Flags, bus: Arc<Bus>) -> Self {
        Ctx {
            paths,
            out,
            flags,
            bus,
            engine: Arc::new(EngineSlot::default()),
            batch: Arc::new(Mutex::new(BatchSlot::default())),
        }
    }

    /// Open a batch: until [`Ctx::end_batch`], plugins may put work that
    /// is the same for every app (validating and reloading a proxy) off
    /// until the end, and do it once.
    pub fn begin_batch(&self) {
        self.batch_slot().open = true;
    }

    /// Whether a batch is open.
    pub fn in_batch(&self) -> bool {
        self.batch_slot().open
    }

    /// Work on this batch's state of type `T` (created empty); `None` when
    /// no batch is open.
    pub fn with_batch_state<T: Default + Send + 'static, R>(
        &self,
        f: impl FnOnce(&mut T) -> R,
    ) -> Option<R> {
        let mut slot = self.batch_slot();
        if !slot.open {
            return None;
        }
        let state = slot
            .states
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        state.downcast_mut::<T>().map(f)
    }

    /// Take this batch's state of type `T` out (also while the batch is
    /// ending, for its finishers).
    pub fn take_batch_state<T: Send + 'static>(&self) -> Option<T> {
        self.batch_slot()
            .states
            .remove(&TypeId::of::<T>())
            .and_then(|b| b.downcast::<T>().ok())
            .map(|b| *b)
    }

    /// Run `finish` when the batch ends (once, whatever the number of
    /// calls with the same `key`). Returns false, registering nothing,
    /// when no batch is open.
    pub fn defer(&self, key: &'static str, finish: Finisher) -> bool {
        let mut slot = self.batch_slot();
        if !slot.open {
            return false;
        }
        if !slot.finishers.iter().any(|(k, _)| *k == key) {
            slot.finishers.push((key, finish));
        }
        true
    }

    /// Close the batch and run what was deferred, in order; the first
    /// failure is returned after every finisher ran.
    pub fn end_batch(&self) -> Result<()> {
        let finishers = {
            let mut slot = self.batch_slot();
            slot.open = false;
            std::mem::take(&mut slot.finishers)
        };
        let mut first_err = None;
        for (_, f) in finishers {
            if let Err(e) = f(self) {
                first_err.get_or_insert(e);
            }
        }
        self.batch_slot().states.clear();
        first_err.map_or(Ok(()), Err)
    }

    fn batch_slot(&self) -> std::sync::MutexGuard<'_, BatchSlot> {
        self.batch.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A context that uses `engine` instead of connecting to the local one
    /// (for tests, with a fake engine).
    pub fn with_engine(
        paths: Paths,
        out: Output,
        flags: Flags,
        bus: Arc<Bus>,
        engine: Arc<dyn ContainerEngine>,
    ) -> Self {
        Ctx {
            engine: Arc::new(EngineSlot::with(engine)),
            ..Ctx::new(paths, out, flags, bus)
        }
    }

    /// Reads the name typed to confirm a destructive action (showing the
    /// `> ` prompt only to a person at a terminal, as bash's `read -p`
    /// does) and refuses anything but `expected`.
    pub fn confirm_typed(&self, expected: &str, input: &mut dyn std::io::BufRead) -> Result<()> {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            self.out.write_err("> ");
        }
        let mut answer = String::new();
        input
            .read_line(&mut answer)
            .map_err(|e| Error::other("read confirmation", e))?;
        if answer.trim_end_matches(['\n', '\r']) != expected {
            return Err(Error::fail(format!(
                "Confirmation did not match {expected}. Aborted."
            )));
        }
        Ok(())
    }

    /// Announce `message`, then turn the switch `var` on or off for every
    /// later command: `$DOKKU_ROOT/.dokkurc/<var>` exporting `var=1`, which
    /// the entry reads at start, is written or removed.
    pub fn switch_rc(&self, var: &str, on: bool, message: &str) -> Result<()> {
        self.out.info1(message);
        let file = self.paths.dokku_root.join(".dokkurc").join(var);
        if on {
            dokku_core::fsutil::write_atomic(&file, format!("export {var}=1\n").as_bytes(), 0o644)
        } else {
            dokku_core::fsutil::remove_file(&file)
        }
    }

    /// The command's container engine, connected on first use and then
    /// shared by this context and all its clones. A failed connection is
    /// not remembered: the next call tries again.
    pub fn engine(&self) -> Result<&dyn ContainerEngine> {
        self.try_engine().map_err(|e| Error::other("docker", e))
    }

    /// Like [`Ctx::engine`], with the engine's own error, for callers that
    /// word a failure to connect themselves.
    pub fn try_engine(&self) -> std::result::Result<&dyn ContainerEngine, EngineError> {
        self.engine.get().map(|e| e.as_ref())
    }

    /// The regular file at the absolute `path` of `spec.image` (links
    /// followed), read through a container of the image that is created,
    /// never started, and carries `spec.labels`: one per image and labels
    /// for the whole command (several files of one image cost one
    /// container), removed when the command ends. `None` when there is no
    /// such file.
    pub fn read_image_file(
        &self,
        spec: &dokku_docker::ContainerSpec,
        path: &str,
    ) -> std::result::Result<Option<Vec<u8>>, EngineError> {
        use dokku_docker::copy::{create_reader, read_file_in};
        let engine = self.try_engine()?;
        let key = reader_key(spec);
        let cell = self.reader(&key);
        let made = cell
            .get_or_init(|| create_reader(engine, spec).ok())
            .clone();
        let made_again = |this: &Self| -> std::result::Result<String, EngineError> {
            let cid = create_reader(engine, spec)?;
            this.readers()
                .insert(key.clone(), Arc::new(OnceLock::from(Some(cid.clone()))));
            Ok(cid)
        };
        let cid = match made {
            Some(cid) => cid,
            // Refused before (perhaps beside the command): ask again, for
            // the engine's error.
            None => made_again(self)?,
        };
        let found = read_file_in(engine, &cid, path);
        if matches!(found, Ok(Some(_))) || engine.inspect_container(&cid).is_ok() {
            return found;
        }
        // The container went, or is going (a clean-up of the app's
        // stopped containers): read through a new one.
        let cid = made_again(self)?;
        read_file_in(engine, &cid, path)
    }

    /// Start making the container [`Ctx::read_image_file`] reads `spec`'s
    /// image through, beside the command, when the command knows early
    /// which image it will read.
    pub fn prepare_image_reader(&self, spec: &dokku_docker::ContainerSpec) -> Result<()> {
        let key = reader_key(spec);
        if self.readers().contains_key(&key) {
            return Ok(());
        }
        let cell = self.reader(&key);
        let spec = spec.clone();
        self.in_background(move |engine| {
            cell.get_or_init(|| dokku_docker::copy::create_reader(engine, &spec).ok());
        })
    }

    fn readers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Reader>> {
        self.engine
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The reader of `key`, made or to be made.
    fn reader(&self, key: &str) -> Reader {
        self.readers().entry(key.to_string()).or_default().clone()
    }

    /// Run `work` on the engine beside the command (clean-ups nothing
    /// after it depends on); the command still finishes it before it ends.
    pub fn in_background(
        &self,
        work: impl FnOnce(&dyn ContainerEngine) + Send + 'static,
    ) -> Result<()> {
        let engine = self.engine_handle()?;
        let handle = std::thread::spawn(move || work(engine.as_ref()));
        self.engine
            .background
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(handle);
        Ok(())
    }

    /// What this command learned about images, shared by its clones.
    pub(crate) fn images(&self) -> &ImageMemo {
        &self.engine.images
    }

    /// The engine as a shared handle, for work that outlives a borrow of
    /// the context.
    pub fn engine_handle(&self) -> Result<Arc<dyn ContainerEngine>> {
        self.engine
            .get()
            .cloned()
            .map_err(|e| Error::other("docker", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_docker::fake::FakeEngine;
    use dokku_docker::ImageInfo;

    #[test]
    fn clones_share_the_one_engine() {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&d.path().join("h"), &d.path().join("l"));
        let fake = Arc::new(FakeEngine::new());
        let ctx = Ctx::with_engine(
            paths,
            Output::captured(false).0,
            Flags::default(),
            Arc::new(Bus::new()),
            fake.clone(),
        );
        let mut quiet = ctx.clone();
        quiet.out = Output::captured(true).0;
        fake.add_image("dokku/app:latest", ImageInfo::default());
        let seen = |c: &Ctx| c.engine().expect("engine").image_exists("dokku/app");
        assert!(seen(&ctx).expect("exists"));
        assert!(seen(&quiet).expect("exists"));
        let (a, b) = (
            ctx.engine_handle().expect("a"),
            quiet.engine_handle().expect("b"),
        );
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(fake.calls().len(), 2);
        assert!(format!("{ctx:?}").contains("engine_connected: true"));
    }
}
