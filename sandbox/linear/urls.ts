import { slugify } from './ids.js';
import type { Comment, Issue, LinearState, Project, User } from './state.js';

/**
 * Entity URLs, shaped like Linear's (`https://linear.app/<urlKey>/issue/ENG-1/<slug>`, API-NOTES
 * §3.4) but under the stand-in's base URL, where the page serves them.
 */
export class LinearUrls {
  constructor(
    private readonly baseUrl: string,
    private readonly state: LinearState,
  ) {}

  private org(organizationId: string): string {
    return `${this.baseUrl}/${this.state.organizations.get(organizationId)?.urlKey ?? 'unknown'}`;
  }

  issue(issue: Issue): string {
    return `${this.org(issue.organizationId)}/issue/${this.state.identifier(issue)}/${slugify(issue.title)}`;
  }

  comment(comment: Comment): string {
    const issue = this.state.issues.get(comment.issueId);
    return `${issue ? this.issue(issue) : this.org(comment.organizationId)}#comment-${comment.id.slice(0, 8)}`;
  }

  user(user: User): string {
    return `${this.org(user.organizationId)}/profiles/${user.displayName}`;
  }

  project(project: Project): string {
    return `${this.org(project.organizationId)}/project/${slugify(project.name)}-${project.slugId}`;
  }

  /** `Issue.branchName`: "<user>/<identifier>-<slug>" like Linear's default git branch format. */
  branchName(issue: Issue): string {
    const who = issue.assigneeId ? this.state.users.get(issue.assigneeId)?.displayName : undefined;
    return `${who ?? 'issue'}/${this.state.identifier(issue).toLowerCase()}-${slugify(issue.title)}`.slice(0, 100);
  }
}
