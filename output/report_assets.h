/* report_assets: the files inlined into every HTML report, compiled into
 * the binary by cmake/report.cmake (generated BUILD/gen/report_assets.c).
 *
 * Invariants: every asset is a NUL-terminated UTF-8 text; rpt_assets_built
 * is 0 (and the assets are empty) in a build configured with
 * -DNQP_REPORT=OFF, which has no report support.
 *
 * Private to: output/report.c
 */
#ifndef NQP_REPORT_ASSETS_H
#define NQP_REPORT_ASSETS_H

extern const char rpt_asset_echarts[]; /* echarts.min.js (Apache ECharts, npm) */
extern const char rpt_asset_js[];      /* report/report.js */
extern const char rpt_asset_css[];     /* report/report.css */
extern const char rpt_echarts_version[];
extern const int rpt_assets_built;

#endif
