interface Props {
  name: string;
  /** Two letters standing in for the vendor's logo. */
  mark: string;
  summary: string;
  requirement: string;
}

/** A service's connection card, in its "not connected yet" state. */
export function ConnectionCard({ name, mark, summary, requirement }: Props) {
  const headingId = `connection-${name.toLowerCase()}`;
  return (
    <section className="card connection-card" aria-labelledby={headingId}>
      <div className="connection-card-head">
        <span className={`service-mark service-mark-${name.toLowerCase()}`} aria-hidden="true">
          {mark}
        </span>
        <h2 id={headingId}>{name}</h2>
        <span className="status status-idle">Not connected yet</span>
      </div>
      <p>{summary}</p>
      <p className="muted">{requirement}</p>
      <p className="card-footnote">Connecting {name} by OAuth arrives in the next release of Integration Hub.</p>
    </section>
  );
}
