#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "app/discharge_service.h"
#include "app/metrics.h"
#include "app/printer_monitor.h"
#include "store/job_store.h"

namespace wardprint::http {

// What the HTTP handlers work with; owned by the daemon, outliving the server.
struct ApiContext {
  app::DischargeService& discharges;
  app::PrinterMonitor& printers;
  app::Metrics& metrics;
  store::JobStore& store;
};

// Routes each request to the handler for its method and path:
//   POST /v1/discharges, GET /v1/discharges, GET /v1/discharges/{id},
//   GET /v1/discharges/{id}/pdf, POST /v1/discharges/{id}/reprint,
//   GET /v1/printers, GET /healthz, GET /metrics.
class ApiRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiRouter(ApiContext context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  ApiContext context_;
};

}  // namespace wardprint::http
