# The module graph: what each folder of service/ may include. cmake/CheckModuleIncludes.cmake
# checks every #include of service/ against it on every build; docs/ARCHITECTURE.md says why.

# Our modules, and the modules each may include (its own folder always).
set(WARDPRINT_MODULES util yaml events leaflet shaping pdf preview hl7 fhir auth settings store pgstore print intake tls http mllp wiring cli daemon bench)
set(WARDPRINT_USES_util "")
set(WARDPRINT_USES_yaml "")
set(WARDPRINT_USES_events util)
set(WARDPRINT_USES_leaflet util yaml events)
set(WARDPRINT_USES_shaping util)
set(WARDPRINT_USES_pdf util events leaflet shaping)
set(WARDPRINT_USES_preview util)
set(WARDPRINT_USES_hl7 util events)
set(WARDPRINT_USES_fhir util events hl7)
set(WARDPRINT_USES_settings util yaml events leaflet auth fhir hl7)
set(WARDPRINT_USES_store util auth)
set(WARDPRINT_USES_pgstore util store auth)
set(WARDPRINT_USES_print util store)
set(WARDPRINT_USES_auth util)
set(WARDPRINT_USES_intake util events leaflet shaping pdf preview settings store print auth)
set(WARDPRINT_USES_tls util settings)
set(WARDPRINT_USES_http util events settings auth intake tls fhir)
set(WARDPRINT_USES_mllp util events hl7 settings auth intake tls)
set(WARDPRINT_USES_wiring util events leaflet pdf settings store pgstore print auth intake tls http hl7 mllp)
set(WARDPRINT_USES_cli util events leaflet settings store auth intake wiring)
set(WARDPRINT_USES_daemon util settings wiring)
set(WARDPRINT_USES_bench util events settings intake wiring)

# Third-party libraries that do I/O or rendering, by the start of their header paths, and
# the modules that may include them: "prefix|module,module".
set(WARDPRINT_OWNED_HEADERS
  "hpdf|pdf"
  "poppler-|preview"
  "qpdf/|pdf"
  "cups/|print"
  "sqlite3|store"
  "libpq-fe.h|pgstore"
  "openssl/|auth"
  "yaml-cpp/|yaml"
  "hb.h|shaping" "hb-|shaping" "fribidi|shaping"
  "Poco/Net/|tls,http,mllp,wiring,bench"
  "Poco/Net/Secure|tls" "Poco/Net/Context.h|tls" "Poco/Net/NetSSL.h|tls" "Poco/Net/SSL|tls"
  "Poco/Net/X509|tls" "Poco/Crypto/|tls"
  "Poco/Util/|daemon")
