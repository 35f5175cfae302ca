#pragma once

// The records the intake hands to front doors, under the intake's own names: a front door
// includes intake headers only, never the store's or the printers'.

#include "print/printer_monitor.h"
#include "store/job_store.h"

namespace wardprint::intake {

using store::AbandonedAttempt;
using store::AuditEntry;
using store::AuditFilter;
using store::Document;
using store::EarlierPrinter;
using store::DocumentFilter;
using store::JobState;
using store::NotPrinted;
using store::Millis;
using store::PrintJob;
using store::toString;
using print::PrinterReport;

}  // namespace wardprint::intake
