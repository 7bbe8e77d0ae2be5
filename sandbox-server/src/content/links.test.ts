// Headings get GitHub's anchors and links between pages become the app's routes.
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { appHref, headingIds, headingSlug, pageLinks } from './links';

describe('heading anchors', () => {
  it.each([
    ['Bounded queues', 'bounded-queues'],
    ['Publisher confirms: the producer’s pacing', 'publisher-confirms-the-producers-pacing'],
    [
      'Claim: “nack it with requeue, and it goes to the DLQ”',
      'claim-nack-it-with-requeue-and-it-goes-to-the-dlq',
    ],
    ['`x-death`, read closely', 'x-death-read-closely'],
    ['When a log fits better — Kafka', 'when-a-log-fits-better--kafka'],
  ])('%s → %s', (text, slug) => expect(headingSlug(text)).toBe(slug));

  it('numbers repeated headings and reads inline code', () => {
    const md = new MarkdownIt({ typographer: true });
    headingIds(md);
    const html = md.render('## Recap\n\n## Recap\n\n### The `x-death` header\n');
    expect(html).toContain('<h2 id="recap">');
    expect(html).toContain('<h2 id="recap-1">');
    expect(html).toContain('<h3 id="the-x-death-header">');
  });
});

describe('links between pages', () => {
  it.each([
    ['#bounded-queues', 'chapters/06-backpressure', '#/chapters/06-backpressure/bounded-queues'],
    ['../02-patterns/README.md', 'chapters/06-backpressure', '#/chapters/02-patterns'],
    [
      '../01-sync-async/README.md#retries-multiply',
      'chapters/07-dead-letters',
      '#/chapters/01-sync-async/retries-multiply',
    ],
    ['../../chapters/02-patterns/README.md#acks', 'exercises/02-fair-workers', '#/chapters/02-patterns/acks'],
    ['../../exercises/07-retry-budget/', 'chapters/07-dead-letters', '#/exercises/07-retry-budget'],
    ['#/exercises/02-fair-workers', 'chapters/02-patterns', undefined],
    ['https://www.rabbitmq.com/dlx.html', 'chapters/07-dead-letters', undefined],
    ['snippets/topic.ts', 'chapters/02-patterns', undefined],
  ])('%s in %s → %s', (href, from, route) => expect(appHref(href, from)).toBe(route));

  it('rewrites them in a rendered chapter', () => {
    const md = new MarkdownIt();
    pageLinks(md, '06-backpressure');
    expect(md.render('[alarm](#the-alarm) and [queues](../02-patterns/README.md)')).toContain(
      '<a href="#/chapters/06-backpressure/the-alarm">alarm</a> and <a href="#/chapters/02-patterns">queues</a>',
    );
  });
});
