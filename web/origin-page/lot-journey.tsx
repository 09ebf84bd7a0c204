import { renditionUrl } from '../../api/src/media/rendition-urls.js';
import { nameOf } from '../vocabulary-names.js';
import { formatDate, formatDateTime, formatNumber } from './format.js';
import { stageSpan, type Photo, type PlotStory, type Step } from './lot-story.js';
import type { LotView } from './lot-view.js';
import type { Messages } from './messages.js';
import { openStreetMapUrl, plotCentre } from './plot-map.js';
import { publicName } from './public-names.js';

/** Same-origin paths: the CSP allows img-src 'self' whatever host name the page was reached by. */
const imagePath = (sha256: string): string => renditionUrl('', sha256);

export function Photos({ photos, label }: { photos: Photo[]; label: string }) {
  if (!photos.length) return null;
  return (
    <ul class="photos" aria-label={label}>
      {photos.map((p, i) => {
        const sorted = [...p.renditions].sort((a, b) => a.width - b.width);
        return (
          <li key={i}>
            <img
              src={imagePath(sorted[0]!.sha256)}
              srcSet={sorted.slice(0, 2).map((r) => `${imagePath(r.sha256)} ${r.width}w`).join(', ')}
              sizes="150px"
              width={150}
              height={112}
              loading="lazy"
              decoding="async"
              alt={`${label} ${i + 1}${p.takenAt ? `, ${p.takenAt.slice(0, 10)}` : ''}`}
            />
          </li>
        );
      })}
    </ul>
  );
}

/** A harvest is recorded by its day: its midnight time means nothing to a reader. */
const when = (step: Step, time: string, m: Messages): string => (step.stepType === 'harvest' ? formatDate(time, m) : formatDateTime(time, m));

function StepItem({ step, view }: { step: Step; view: LotView }) {
  const { m, origin } = view;
  const title = nameOf(m.steps, step.stepType);
  const by = step.actor ? step.shownActor : null;
  const sameTime = step.lastTime === step.eventTime;
  return (
    <li>
      <h4>{title}</h4>
      <div class="when">
        <time dateTime={step.eventTime}>{when(step, step.eventTime, m)}</time>
        {step.lastTime && !sameTime ? (
          <>
            {' – '}
            <time dateTime={step.lastTime}>{formatDateTime(step.lastTime, m)}</time>
          </>
        ) : null}
        {/* One step done to several lots at once is said as such; a run over time by its count. */}
        {step.repeats > 1 ? ` · ${sameTime && step.lots.length > 1 ? m.lotsTogether(step.lots.length) : m.repeated(step.repeats)}` : null}
      </div>
      {by || step.placeName || step.geo ? (
        <p>
          {by}
          {by && (step.placeName || step.geo) ? ' · ' : null}
          {step.placeName}
          {step.placeName && step.geo ? ' · ' : null}
          {step.geo ? <a href={openStreetMapUrl(step.geo)}>{m.openMap}</a> : null}
        </p>
      ) : null}
      {step.receiver ? (
        <p>
          {m.receiver}: {publicName(step.receiver, origin.memberOf, m)}
        </p>
      ) : null}
      {step.notes ? <p class="notes">{step.notes}</p> : null}
      <Photos photos={step.photos} label={m.photosOf(title)} />
    </li>
  );
}

function PlotItem({ plot, index, view }: { plot: PlotStory; index: number; view: LotView }) {
  const { m, origin } = view;
  const area = plot.areaHa ?? plot.declaredAreaHa;
  return (
    <li>
      <h4>
        {index + 1}. {plot.name}
      </h4>
      <p>
        {plot.crops.map((c) => nameOf(m.cropNames, c)).join(', ')} · {m.area}: {area !== null ? `${formatNumber(area, m)} ha` : m.point}
      </p>
      {plot.farmerOrg ? (
        <p>
          {m.grownBy}: {publicName(plot.farmerOrg, origin.memberOf, m)}
        </p>
      ) : null}
      <p class="small">
        <a href={openStreetMapUrl(plotCentre(plot.geometry))}>{m.openMap}</a>
      </p>
      <Photos photos={plot.photos} label={m.photosOf(plot.name)} />
    </li>
  );
}

/**
 * The lot's journey in a few human stages (grown, harvested, processed, packed, shipped), each
 * with its steps in time order and each photo under the step it documents. No codes: those are
 * in the technical details.
 */
export function LotJourney({ view }: { view: LotView }) {
  const { m, story } = view;
  return (
    <section aria-labelledby="journey">
      <h2 id="journey">{m.timelineHeading}</h2>
      <ol class="stages">
        {story.plots.length ? (
          <li class="stage">
            <h3 id="plots">{m.stageNames.grown}</h3>
            <ol class="timeline">
              {story.plots.map((plot, i) => (
                <PlotItem key={i} plot={plot} index={i} view={view} />
              ))}
            </ol>
          </li>
        ) : null}
        {story.stages.map(({ stage, steps }) => {
          const span = stageSpan(steps);
          const from = formatDate(span.from, m);
          const to = formatDate(span.to, m);
          return (
            <li class="stage" key={stage}>
              <h3>
                {m.stageNames[stage]} <span class="when">{from === to ? from : `${from} – ${to}`}</span>
              </h3>
              <ol class="timeline">
                {steps.map((s) => (
                  <StepItem key={s.eventID} step={s} view={view} />
                ))}
              </ol>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
