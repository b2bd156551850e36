import type { TrackerIssue } from '../roles.js';

/** The fields of an `Issue` the rules' facts come from (the tracker's and sync's queries ask for these). */
export interface IssueFactsNode {
  id: string;
  identifier: string;
  title: string;
  url: string;
  priority: number;
  updatedAt: string;
  labelIds: string[];
  state: { id: string; name: string; type: string };
  project: { id: string } | null;
  team: { id: string };
}

export function trackerIssueOf(issue: IssueFactsNode): TrackerIssue {
  return {
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    url: issue.url,
    teamId: issue.team.id,
    priority: issue.priority,
    state: { id: issue.state.id, name: issue.state.name, type: issue.state.type },
    projectId: issue.project?.id ?? null,
    labelIds: [...issue.labelIds],
    updatedAt: Date.parse(issue.updatedAt),
  };
}
