// Deterministic inputs for the browser test: a scored experiment (CSV + roles sidecar, as upliftctl writes
// them) and a plan.json with the keys `upliftctl optimize` writes. One ordinary set, one full of XSS payloads.

import fs from 'node:fs';
import path from 'node:path';

function rng(seed) {
  // mulberry32: tiny, seedable, identical on every node version
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvField(v) {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/// Writes <dir>/<name>.csv and its .meta.json (the roles sidecar upliftctl reads for CSV files).
export function writeScores(dir, name, { n, seed, treated, control, outcome, id = 'client_id', idOf }) {
  const random = rng(seed);
  const header = [id, 'group', outcome, 'p__control', `p__${treated}`, `uplift__${treated}`, 'uplift', 'p_control',
    'p_treatment'];
  const lines = [header.map(csvField).join(',')];
  for (let i = 0; i < n; i++) {
    const p0 = 0.04 + 0.2 * random();
    const latent = random();
    const u = latent > 0.7 ? 0.05 + 0.2 * (latent - 0.7) / 0.3 : latent < 0.08 ? -0.03 : 0.01 * latent;
    const pt = Math.min(0.99, Math.max(0.001, p0 + u));
    const t = random() < 0.5 ? 1 : 0;
    const y = random() < (t ? pt : p0) ? 1 : 0;
    const score = u + 0.04 * (random() - 0.5);
    lines.push([idOf ? idOf(i) : `C${String(i + 1).padStart(5, '0')}`, t ? treated : control, y, p0.toFixed(6),
      pt.toFixed(6), score.toFixed(6), score.toFixed(6), p0.toFixed(6), pt.toFixed(6)].map(csvField).join(','));
  }
  const file = path.join(dir, `${name}.csv`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const roles = { id, treatment: 'group', control, treatment_levels: [treated], outcome, outcome_type: 'binary',
    features: [] };
  fs.writeFileSync(`${file}.meta.json`, JSON.stringify({ 'upliftctl.roles': JSON.stringify(roles) }, null, 1));
  return file;
}

/// A plan.json whose budget curve rises then flattens, as a real optimisation's does.
export function writePlan(dir, name, { population, offer, channel, descriptions = {}, extraBaseline, parameters }) {
  const points = 60;
  const maxBudget = 30000;
  const curve = [];
  for (let i = 0; i < points; i++) {
    const budget = (maxBudget * i) / (points - 1);
    const spend = Math.min(budget, 24000);
    const contacts = Math.round((population * spend) / 24000);
    const conversions = 900 * (1 - Math.exp(-spend / 9000));
    const revenue = conversions * 55;
    const profit = revenue * 0.35 * 2.2 - spend;
    curve.push({ budget, contacts, spend, incremental_conversions: conversions, incremental_revenue: revenue, profit,
      roi: spend > 0 ? profit / spend : null });
  }
  const at = curve[20];
  const baseline = (contacts, spend, conversions, description) => ({ contacts, spend,
    incremental_conversions: conversions, incremental_revenue: conversions * 55,
    profit: conversions * 55 * 0.35 * 2.2 - spend, roi: spend > 0 ? (conversions * 55 * 0.35 * 2.2 - spend) / spend : null,
    ...(description === undefined ? {} : { description }) });
  // As optimize writes them: the baselines at every budget of the curve, each spending at most that budget.
  for (const point of curve) {
    const spend = Math.min(point.budget, 28000);
    const contacts = Math.round((population * spend) / 28000);
    point.baselines = {
      everyone: baseline(contacts, spend, 950 * spend / 28000),
      random: baseline(contacts, spend, 400 * (1 - Math.exp(-spend / 12000))),
      response_model: baseline(contacts, spend, 380 * (1 - Math.exp(-spend / 10000))),
    };
    if (extraBaseline) point.baselines[extraBaseline] = baseline(10, Math.min(point.budget, 24), 1);
  }
  const baselines = {
    everyone: baseline(population, 24000, 950, descriptions.everyone ?? 'every client gets the offer'),
    random: baseline(at.contacts, at.spend, 310, descriptions.random ?? 'random clients until the budget is spent'),
    response_model: baseline(at.contacts, at.spend, 260,
      descriptions.response_model ?? 'clients most likely to buy, until the budget is spent'),
  };
  if (extraBaseline) baselines[extraBaseline] = baseline(10, 24, 1, 'extra');
  const plan = {
    budget: at.budget, budget_used: at.spend, contacts: at.contacts,
    expected_incremental_conversions: at.incremental_conversions,
    expected_incremental_revenue: at.incremental_revenue, expected_spend: at.spend, expected_profit: at.profit,
    roi: at.roi, useless_discount_share: 0.41, upper_bound: at.profit + 12.5, gap: 12.5,
    per_offer: [{ offer, channel, contacts: at.contacts, spend: at.spend,
      incremental_conversions: at.incremental_conversions, incremental_revenue: at.incremental_revenue,
      profit: at.profit }],
    budget_curve: curve, baselines,
    parameters: parameters ?? { margin: 0.35, contact_cost: 0.1 },
    provenance: { tool: 'upliftctl', stage: 'optimize' },
  };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(plan, null, 1));
  return { file, plan };
}

/// Strings that would run script if any reached the page unescaped; each sets window.__xss.
export const XSS = {
  treated: "<script>window.__xss=1;document.title='XSS'</script>",
  control: '"><img src=x onerror="window.__xss=2">',
  outcome: 'visit<svg onload=window.__xss=3>',
  id: (i) => (i % 2 ? '</script><script>window.__xss=10</script>' : `"><img src=y onerror=window.__xss=11>${i}`),
  offer: '</script><script>window.__xss=4</script>\u2028',
  channel: "' onmouseover='window.__xss=5' x='",
  description: '<iframe srcdoc="<script>parent.__xss=6</script>"></iframe>',
  baselineKey: '<b onclick=window.__xss=12>evil</b>',
  title: '<script>window.__xss=7</script>',
  currency: '</script><script>window.__xss=8</script>\u2028<!--',
  parameter: '<script>window.__xss=9</script>',
};
