//! Triggers of scheduled cron tasks (development/plugin-triggers.md): the
//! cron plugin answers `cron-get-property` and regenerates the host crontab
//! on `scheduler-cron-write`; other plugins add host-wide tasks through
//! `cron-entries`; a scheduler says with `scheduler-uses-host-cron` whether
//! its apps' tasks belong in the host crontab.

use dokku_core::Result;

use crate::bus::{Dispatch, Trigger};
use crate::triggers::{arg, trigger};

trigger!(
    /// One computed cron property of an app (answered by cron).
    CronGetProperty = "cron-get-property", Collect -> String { app, key }
);
trigger!(
    /// Extra host-wide tasks, one `schedule;command;log file` line each.
    CronEntries = "cron-entries", Collect -> String { scheduler }
);
trigger!(
    /// Write out the cron tasks again (both arguments may be empty).
    SchedulerCronWrite = "scheduler-cron-write", Notify -> () { scheduler, app }
);
trigger!(
    /// Whether the scheduler's apps get their tasks in the host crontab.
    SchedulerUsesHostCron = "scheduler-uses-host-cron", Select -> bool { scheduler }
);
