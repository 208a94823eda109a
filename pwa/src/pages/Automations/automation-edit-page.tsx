// /automations/new and /automations/:id: the form, with the approved templates to choose from; an existing item
// also links to its audience and run log, and can be deleted.
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { LoadState } from '../../components/load-state/load-state';
import {
  type Automation,
  type AutomationInput,
  createAutomation,
  deleteAutomation,
  getAutomation,
  listTemplateOptions,
  type TemplateOption,
  updateAutomation,
} from '../../lib/api/automations';
import { type Club, loadClubs } from '../../lib/api/clubs';
import { type Label, listLabels, loadStages, type Stage } from '../../lib/api/pipeline';
import { me } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { AutomationForm } from './automation-form';
import { emptyForm, formOf } from './form-state';

interface Loaded {
  templates: TemplateOption[];
  item: Automation | null;
  clubs: Club[];
  stages: Stage[];
  labels: Label[];
}

/**
 * The edit as a PATCH. The template and the on/off state go only when they changed: the server clears an item's
 * paused reason whenever either is sent, and a paused item edited for its wording should still say why it paused.
 */
function changesOf(item: Automation, input: AutomationInput): Partial<AutomationInput> {
  const { template, enabled, ...rest } = input;
  const sameTemplate = template.name === item.template.name && template.language === item.template.language;
  return {
    ...rest,
    ...(sameTemplate ? {} : { template }),
    ...(enabled === item.enabled ? {} : { enabled }),
  };
}

async function load(id: string | undefined): Promise<Loaded> {
  const [templates, item, clubs, stages, labels] = await Promise.all([
    listTemplateOptions(),
    id ? getAutomation(id) : null,
    loadClubs(),
    loadStages(),
    listLabels(),
  ]);
  return { templates, item, clubs, stages, labels };
}

export function AutomationEditPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id;
  const { data, error, reload } = useLoad(() => load(id), [id]);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const timeZone = me.value?.company.timezone ?? 'UTC';
  const title = id ? 'Edit automated item' : 'New automated item';

  async function remove() {
    if (!id) return;
    setDeleteError(null);
    try {
      await deleteAutomation(id);
      route('/automations');
    } catch (err) {
      setDeleteError(err instanceof Error ? err.message : 'Could not delete it');
    }
  }

  return (
    <div class="page">
      <AppHeader title={title} back="/automations" />
      <main class="automations-main">
        <LoadState data={data} error={error} reload={reload}>
          {(data) => (
            <>
              <AutomationForm
                key={data.item?.id ?? 'new'}
                initial={data.item ? formOf(data.item, data.templates) : emptyForm()}
                templates={data.templates}
                clubs={data.clubs}
                stages={data.stages}
                labels={data.labels}
                timeZone={timeZone}
                submitLabel={data.item ? 'Save changes' : 'Create item'}
                onSubmit={async (input) => {
                  if (data.item) await updateAutomation(data.item.id, changesOf(data.item, input));
                  else await createAutomation(input);
                  route('/automations');
                }}
              />
              {data.item && (
                <section class="card" aria-label="More">
                  <div class="item-links">
                    <a href={`/automations/${data.item.id}/audience`}>Audience now</a>
                    <a href={`/automations/${data.item.id}/runs`}>Run log</a>
                  </div>
                  <button type="button" class="opt-out delete" onClick={() => setDeleting(true)}>
                    Delete this item
                  </button>
                </section>
              )}
            </>
          )}
        </LoadState>
      </main>
      {deleting && data?.item && (
        <ConfirmDialog
          title="Delete this automated item?"
          confirmLabel="Delete"
          error={deleteError}
          onConfirm={() => void remove()}
          onCancel={() => setDeleting(false)}
        >
          <p>
            {data.item.name} stops at once: nobody still due is sent it. What it already sent stays in each person's
            history.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
