import type { Migration, MigrationProvider } from 'kysely'
import * as initial from './20261125T0900_initial'
import * as imports from './20261125T1010_imports'
import * as priorities from './20261125T1100_priorities'
import * as access from './20261125T1200_access'
import * as decks from './20261125T1300_decks'
import * as displayGeometry from './20261205T0500_display_geometry'
import * as catalogue from './20261205T1000_catalogue'
import * as process from './20261205T1400_process'
import * as organisation from './20261205T1600_organisation'
import * as samverkansformer from './20261205T1610_samverkansformer'
import * as meetingSnapshot from './20261205T1720_meeting_snapshot'
import * as weeks from './20261205T1720_weeks'
import * as communication from './20261205T1730_communication'
import * as fieldReports from './20261205T1730_field_reports'
import * as timeProfile from './20261205T1900_time_profile'
import * as alerts from './20261205T1910_alerts'
import * as fieldReportPlaces from './20261205T1940_field_report_places'
import * as apiTokens from './20261205T2000_api_tokens'
import * as signInAttempts from './20261206T0100_sign_in_attempts'
import * as boundaryVersion from './20261206T0120_boundary_version'
import * as snapshotBasis from './20261206T1200_snapshot_basis'
import * as changeNotify from './20261207T2200_change_notify'
import * as changeNotifyTable from './20261208T0200_change_notify_table'

// Listed statically so migrations run the same under tsx, Vitest and a bundler.
const migrations: Record<string, Migration> = {
  '20261125T0900_initial': initial,
  '20261125T1010_imports': imports,
  '20261125T1100_priorities': priorities,
  '20261125T1200_access': access,
  '20261125T1300_decks': decks,
  '20261205T0500_display_geometry': displayGeometry,
  '20261205T1000_catalogue': catalogue,
  '20261205T1400_process': process,
  '20261205T1600_organisation': organisation,
  '20261205T1610_samverkansformer': samverkansformer,
  '20261205T1720_meeting_snapshot': meetingSnapshot,
  '20261205T1720_weeks': weeks,
  '20261205T1730_communication': communication,
  '20261205T1730_field_reports': fieldReports,
  '20261205T1900_time_profile': timeProfile,
  '20261205T1910_alerts': alerts,
  '20261205T1940_field_report_places': fieldReportPlaces,
  '20261205T2000_api_tokens': apiTokens,
  '20261206T0100_sign_in_attempts': signInAttempts,
  '20261206T0120_boundary_version': boundaryVersion,
  '20261206T1200_snapshot_basis': snapshotBasis,
  '20261207T2200_change_notify': changeNotify,
  '20261208T0200_change_notify_table': changeNotifyTable,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
