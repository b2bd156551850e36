import type { SessionResponse } from '../../api/client.js';
import { PageHeader } from '../../components/PageHeader.js';
import { OrganisationSection } from './OrganisationSection.js';
import { UsersSection } from './UsersSection.js';

interface Props {
  session: SessionResponse;
  /** Reloads the session after a change that may affect it (own role, organisation name). */
  onSessionChanged: () => Promise<void>;
}

export function SettingsTab({ session, onSessionChanged }: Props) {
  return (
    <>
      <PageHeader title="Settings">Your organisation and the people who can use this hub.</PageHeader>
      <OrganisationSection session={session} onRenamed={onSessionChanged} />
      <UsersSection session={session} onSessionChanged={onSessionChanged} />
    </>
  );
}
