//! A plugin's report and set, wired to the command context and the bus.
//!
//! A [`ReportDef`] pairs the plugin's property [`Schema`] with the rows that
//! are not plain properties (computed from containers, files, other
//! plugins). From it come the `<plugin>:report` command (per app, every app
//! and `--global`, text, info flag or JSON), the `<plugin>:set` command, and
//! the handler of the `report` trigger that `dokku report` fires.

use dokku_core::report::{self, RedactFn, Rows, Source};
use dokku_core::schema::Schema;
use dokku_core::set;
use dokku_core::Result;

use crate::bus::Bus;
use crate::context::Ctx;
use crate::triggers::Report;

/// Rows of one app beyond the declared properties.
pub type AppRows = fn(&Ctx, &str) -> Result<Rows>;
/// Rows of the `--global` report beyond the declared properties.
pub type GlobalRows = fn(&Ctx) -> Result<Rows>;
/// A JSON object for an app that is not a flat string map.
pub type AppJson = fn(&Ctx, &str) -> Result<String>;

/// Everything a plugin's report is made of.
#[derive(Debug, Clone, Copy)]
pub struct ReportDef {
    /// The declared properties and names.
    pub schema: &'static Schema,
    /// Extra rows per app.
    pub extra: Option<AppRows>,
    /// Extra rows of the `--global` report.
    pub global_extra: Option<GlobalRows>,
    /// A custom JSON form of an app's report.
    pub app_json: Option<AppJson>,
    /// Two info flags are an error rather than a silent no-op.
    pub strict_flags: bool,
    /// Labels are capitalised (all but resource).
    pub capitalise: bool,
    /// How values show in the text report of `<plugin>:report`.
    pub redact: Option<RedactFn>,
}

impl ReportDef {
    /// A report of the declared properties only.
    pub const fn new(schema: &'static Schema) -> Self {
        ReportDef {
            schema,
            extra: None,
            global_extra: None,
            app_json: None,
            strict_flags: false,
            capitalise: true,
            redact: None,
        }
    }

    /// With values rewritten in the text report of `<plugin>:report` (not
    /// in JSON, info flags or `dokku report`).
    pub const fn redact(mut self, f: RedactFn) -> Self {
        self.redact = Some(f);
        self
    }

    /// With extra rows per app.
    pub const fn extra(mut self, f: AppRows) -> Self {
        self.extra = Some(f);
        self
    }

    /// With extra rows in the `--global` report.
    pub const fn global_extra(mut self, f: GlobalRows) -> Self {
        self.global_extra = Some(f);
        self
    }

    /// With a custom JSON object per app.
    pub const fn app_json(mut self, f: AppJson) -> Self {
        self.app_json = Some(f);
        self
    }

    /// Refusing two info flags with an error.
    pub const fn strict_flags(mut self) -> Self {
        self.strict_flags = true;
        self
    }

    /// With labels left lowercase and without the flag head, as Dokku's
    /// resource report shows them (`--resource-web.limit.cpu` is
    /// `web limit cpu`).
    pub const fn lowercase_labels(mut self) -> Self {
        self.capitalise = false;
        self
    }

    /// Every row of one app's report.
    pub fn app_rows(&self, ctx: &Ctx, app: &str) -> Result<Rows> {
        let mut rows = self.schema.app_rows(&ctx.paths, app);
        if let Some(f) = self.extra {
            rows.extend(f(ctx, app)?);
        }
        Ok(rows)
    }

    /// Every row of the `--global` report.
    pub fn global_rows(&self, ctx: &Ctx) -> Result<Rows> {
        let mut rows = self.schema.global_rows(&ctx.paths);
        if let Some(f) = self.global_extra {
            rows.extend(f(ctx)?);
        }
        Ok(rows)
    }

    /// `<plugin>:report [<app>|--global] [--format stdout|json] [--<flag>]`.
    pub fn command(&self, ctx: &Ctx, argv: &[String]) -> Result<()> {
        let app_rows = |app: &str| self.app_rows(ctx, app);
        let global_rows = || self.global_rows(ctx);
        let json = self.app_json.map(|f| move |app: &str| f(ctx, app));
        let source = Source {
            spec: self.schema.report,
            command: self.schema.command,
            strict_flags: self.strict_flags,
            capitalise: self.capitalise,
            app_rows: &app_rows,
            global_rows: &global_rows,
            app_json: json.as_ref().map(|f| f as &dyn Fn(&str) -> Result<String>),
            redact: self.redact,
        };
        source.command(&ctx.paths, &ctx.out, argv)
    }

    /// `<plugin>:set [--global|<app>] <key> [<value>]`; returns what was
    /// set, for plugins that act on a change.
    pub fn set_command(&self, ctx: &Ctx, argv: &[String]) -> Result<set::Request> {
        set::run(&ctx.paths, &ctx.out, self.schema, argv)
    }

    /// The text report of one app, as `dokku report` shows it.
    pub fn render_app(&self, ctx: &Ctx, app: &str) -> Result<()> {
        let rows = self.app_rows(ctx, app)?;
        report::render_text_styled(&self.schema.report, app, &rows, &ctx.out, self.capitalise);
        Ok(())
    }

    /// The text report of one app in a bare context over `paths` (no
    /// trigger handlers): for unit tests of a plugin's report layout.
    pub fn text(&self, paths: &dokku_core::Paths, app: &str) -> Result<String> {
        let (out, cap) = dokku_output::Output::captured(false);
        self.render_app(&Ctx::bare(paths.clone(), out), app)?;
        Ok(cap.stdout())
    }

    /// [`ReportDef::text`] once each `(app, key, value)` of `settings` is
    /// written to the schema's store: for unit tests of a report layout.
    pub fn text_with(
        &self,
        paths: &dokku_core::Paths,
        app: &str,
        settings: &[(&str, &str, &str)],
    ) -> Result<String> {
        self.schema.store(paths).write_each(settings)?;
        self.text(paths, app)
    }

    /// Answer the `report` trigger for `plugin` with this report.
    pub fn register(&'static self, bus: &mut Bus, plugin: &'static str) {
        bus.on::<Report, _>(plugin, move |ctx, t: &Report| self.render_app(ctx, &t.app));
    }
}
