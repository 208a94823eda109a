// /broadcasts/new and /broadcasts/:id/edit (a draft): the form, with the approved templates, clubs, stages and
// labels to choose from. Saving opens the broadcast, where it is previewed and started.
import { useLocation, useRoute } from 'preact-iso';
import { LoadState } from '../../components/load-state/load-state';
import { listTemplateOptions, type TemplateOption } from '../../lib/api/automations';
import { type Broadcast, createBroadcast, getBroadcast, updateBroadcast } from '../../lib/api/broadcasts';
import { type Club, loadClubs } from '../../lib/api/clubs';
import { type Label, listLabels, loadStages, type Stage } from '../../lib/api/pipeline';
import { me } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { BroadcastFormView } from './broadcast-form';
import { emptyBroadcastForm, formOfBroadcast } from './broadcast-form-state';

interface Loaded {
  templates: TemplateOption[];
  broadcast: Broadcast | null;
  clubs: Club[];
  stages: Stage[];
  labels: Label[];
}

async function load(id: string | undefined): Promise<Loaded> {
  const [templates, broadcast, clubs, stages, labels] = await Promise.all([
    listTemplateOptions(),
    id ? getBroadcast(id) : null,
    loadClubs(),
    loadStages(),
    listLabels(),
  ]);
  return { templates, broadcast, clubs, stages, labels };
}

export function BroadcastEditPage() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id;
  const { data, error, reload } = useLoad(() => load(id), [id]);
  const timeZone = me.value?.company.timezone ?? 'UTC';
  return (
    <div class="page">
      <AppHeader title={id ? 'Edit broadcast' : 'New broadcast'} back={id ? `/broadcasts/${id}` : '/broadcasts'} />
      <main class="automations-main">
        <LoadState data={data} error={error} reload={reload}>
          {(data) =>
            data.broadcast && data.broadcast.state !== 'draft' ? (
              <p class="card">Only a draft can be changed: this one is {data.broadcast.state}.</p>
            ) : (
              <BroadcastFormView
                key={data.broadcast?.id ?? 'new'}
                initial={
                  data.broadcast
                    ? formOfBroadcast(
                        data.broadcast,
                        data.templates.find(
                          (t) =>
                            t.name === data.broadcast?.template.name && t.language === data.broadcast.template.language,
                        ),
                        timeZone,
                      )
                    : emptyBroadcastForm(Date.now(), timeZone)
                }
                templates={data.templates}
                clubs={data.clubs}
                stages={data.stages}
                labels={data.labels}
                timeZone={timeZone}
                submitLabel={data.broadcast ? 'Save draft' : 'Save as draft'}
                onSubmit={async (input) => {
                  const saved = data.broadcast
                    ? await updateBroadcast(data.broadcast.id, input)
                    : await createBroadcast(input);
                  route(`/broadcasts/${saved.id}`);
                }}
              />
            )
          }
        </LoadState>
      </main>
    </div>
  );
}
