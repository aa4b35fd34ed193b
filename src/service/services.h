// All use cases, wired to one database and clock.
#pragma once
#include "service/audit.h"
#include "service/auth.h"
#include "service/awards.h"
#include "service/calendar.h"
#include "service/commitments.h"
#include "service/consultations.h"
#include "service/dashboard.h"
#include "service/health.h"
#include "service/inbox.h"
#include "service/letters.h"
#include "service/ledgers.h"
#include "service/bulletins.h"
#include "service/inspections.h"
#include "service/lights.h"
#include "service/org.h"
#include "service/photos.h"
#include "service/problems.h"
#include "service/projects.h"
#include "service/rankings.h"
#include "service/reports.h"
#include "service/rules.h"
#include "service/setup.h"
#include "service/show_results.h"
#include "service/visits.h"
#include "service/webhooks.h"

namespace steward::service {

struct Services {
  explicit Services(Env e, AuthPolicy authPolicy = {}, WebhookPolicy webhookPolicy = {})
      : env(e),
        auth(e, authPolicy),
        org(e),
        audit(e),
        dashboard(e),
        projects(e),
        health(e),
        rules(e),
        setup(e),
        reports(e),
        inbox(e),
        visits(e),
        photos(e),
        letters(e),
        lights(e),
        calendar(e),
        webhooks(e, std::move(webhookPolicy)),
        problems(e),
        consultations(e),
        // five accounts, show-results, drill marks and quarterly awards
        ledgers(e),
        showResults(e),
        awards(e),
        rankings(e),
        // inspection bulletins (督查通报) and the ten-day inspection (每旬必督)
        bulletins(e),
        inspections(e),
        // commitments and quarterly lists
        commitments(e) {}
  Env env;
  AuthService auth;
  OrgService org;
  AuditService audit;
  DashboardService dashboard;
  ProjectService projects;
  HealthService health;
  RulesService rules;
  SetupService setup;
  ReportService reports;
  InboxService inbox;
  VisitService visits;
  PhotoService photos;
  LettersService letters;
  LightsService lights;
  CalendarService calendar;
  WebhookService webhooks;
  ProblemsService problems;
  ConsultationService consultations;
  // five accounts, show-results, drill marks and quarterly awards
  LedgerService ledgers;
  ShowResultsService showResults;
  AwardService awards;
  RankingsService rankings;
  // inspection bulletins (督查通报) and the ten-day inspection (每旬必督)
  BulletinsService bulletins;
  InspectionsService inspections;
  // commitments and quarterly lists
  CommitmentsService commitments;
};

}  // namespace steward::service
