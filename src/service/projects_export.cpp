// Excel out: the filtered list as a sheet, and the blank import template.
#include "office/project_sheet.h"
#include "service/projects.h"
#include "service/projects_internal.h"

namespace steward::service {

using namespace projects;

namespace {

office::ProjectRow exportRow(const store::Row& r, const core::Lifecycle& lc) {
  office::ProjectRow x;
  x.project = projectFromRow(r);
  x.project.township_name = r.str("township_name");
  x.project.unit_name = r.str("unit_name");
  x.project.leader_name = r.str("leader_name");
  x.townshipName = r.str("township_name");
  x.unitName = r.str("unit_name");
  x.leaderName = r.str("leader_name");
  const auto* st = lc.find(r.str("stage"));
  x.stageName = st ? st->name : r.str("stage");
  x.light = r.str("light");
  for (const auto& reason : lightReasons(r))
    if (reason.contains("message") && reason["message"].is_string()) x.lightReasons.push_back(reason["message"]);
  if (!r.isNull("spi_bp")) x.spiBp = r.i64("spi_bp");
  return x;
}

}  // namespace

std::string ProjectService::exportXlsx(const core::Actor& a, const ProjectFilter& f) {
  auto c = env_.db->acquire();
  auto lc = loadLifecycle(*c, a.region_code, core::localDay(env_.now()));
  auto filter = listFilter(*c, a, f, lc, core::localDay(env_.now()));
  store::ProjectRepo repo(*c);
  std::vector<office::ProjectRow> rows;
  for (auto& r : repo.listAll(filter)) rows.push_back(exportRow(r, lc));
  std::string title = repo.regionName(a.region_code).value_or("") + "重点项目库";
  return office::writeProjectSheet(rows, title, true);
}

std::string ProjectService::templateXlsx() { return office::writeProjectSheet({}, "重点项目导入模板"); }

}  // namespace steward::service
