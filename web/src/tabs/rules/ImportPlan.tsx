import type { ImportResponse } from '../../api/client.js';

const ACTION_WORDS: Record<ImportResponse['plan'][number]['action'], string> = {
  create: 'Create',
  update: 'Update',
  unchanged: 'Unchanged',
};

/** What an import would do to each rule of the file, with the changes an update makes. */
export function ImportPlan({ plan, fileName }: { plan: ImportResponse['plan']; fileName: string }) {
  const counts = (action: keyof typeof ACTION_WORDS) => plan.filter((entry) => entry.action === action).length;
  return (
    <>
      <p role="status">
        {fileName}: {counts('create')} to create, {counts('update')} to update, {counts('unchanged')} unchanged.
      </p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">What the import would do</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Action</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {plan.map((entry) => (
              <tr key={entry.name}>
                <th scope="row">{entry.name}</th>
                <td>{ACTION_WORDS[entry.action]}</td>
                <td>
                  {entry.changes.length === 0 ? (
                    <span className="muted">{entry.action === 'create' ? 'New rule' : 'None'}</span>
                  ) : (
                    <ul className="plain-list">
                      {entry.changes.map((change) => (
                        <li key={change}>{change}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
