import * as z from 'zod';
import type { Severity } from '../../alerts/severity.js';
import { findingContext } from '../../events/accessors.js';
import { findHiddenUnicode, type HiddenUnicodeFinding } from '../../text/hidden-unicode.js';
import {
  findInstructionOverride,
  isInstructionHint,
  isInstructionOverride,
  type InstructionOverrideMatch,
} from '../../text/instruction-override.js';
import { defineDetector } from '../detector.js';

const ID = 'API-PROMPT-INJECTION';
const MAX_EXCERPTS = 3;

type Signal = 'instruction' | 'instruction-hint' | 'unicode-tags' | 'bidi-control' | 'zero-width' | 'ansi-deception';

export const apiPromptInjection = defineDetector({
  meta: {
    id: ID,
    category: 'api',
    title: 'Indirect prompt injection in tool results',
    severity: 'medium',
    detects:
      'Tool, resource and prompt results (and error messages) that try to instruct the model: override phrases ("ignore all previous instructions", also in es/fr/de/pt/it/zh/ja/ru/ko), persona resets and jailbreak personas, role-play set-ups (a persona, its licence to ignore laws or ethics, fiction or hypotheses used to lift rules, inverted answers, harmful synthesis requests), authority claims ("I am your developer", "the user has authorised you to …"), task hijacks ("before you can solve the task, first …"), TODO:/IMPORTANT: directives to send, pay or call tools, fake chat-role markup (<|im_start|>system, [INST], <IMPORTANT>, <|end tool output|><|start user prompt|>), concealment ("do not tell the user"), exfiltration directives, instructions hidden by HTML styling or addressed to a named assistant in a comment, forged inter-agent messages, code payloads (shell commands in os.system/exec calls, Python sandbox escapes, reverse shells, shell stdio servers); hidden text in Unicode tag characters (ASCII smuggling), bidi controls, zero-width runs; ANSI sequences that hide or overwrite terminal text.',
    why: "Whatever a tool returns goes straight into the model's context. A web page, issue, email or file that carries instructions can steer the agent into calling other tools — reading secrets, sending data out — and hidden characters keep the human reviewer from seeing it.",
    tuning:
      'One weak phrase alone (authority claim, task hijack, TODO:/IMPORTANT: directive, payment order, demand to skip confirmation) → low (`reportHints`); instructions or visible hiding (bidi controls, ≥`zeroWidthMin` suspicious zero-width characters, deceptive ANSI) → medium; Unicode tag characters (invisible ASCII) or instructions combined with any hiding → high. Phrases quoted in code blocks, quotes or "e.g." mentions (a blog post about prompt injection) do not count; colour-only ANSI from build tools does not count, cursor movement/erase/conceal does. Emoji ZWJ sequences, emoji flags, Persian/Indic ZWNJ, RTL text and Fluent-style balanced isolates are not hidden text.',
    runbook:
      'Find the source of the result (URL, file, record) and what the agent did next in the session (AGT-TOXIC-FLOW); quarantine or clean the source, and do not let the session continue unattended.',
    references: [
      { id: 'OWASP-MCP06', title: 'OWASP MCP Top 10: Prompt Injection via Contextual Payloads' },
      { id: 'OWASP-MCP10', title: 'OWASP MCP Top 10: Context Injection & Over-Sharing' },
      { id: 'MCP-SPEC-SECURITY', title: 'MCP Security Best Practices (2025-11-25)' },
      {
        id: 'INVARIANT-TOOL-POISONING',
        title: 'Invariant Labs: MCP tool poisoning attacks',
        url: 'https://invariantlabs.ai/blog/mcp-security-notification-tool-poisoning-attacks',
      },
      {
        id: 'CVE-2021-42574',
        title: 'Trojan Source: bidi control characters',
        url: 'https://trojansource.codes/',
      },
      {
        id: 'CWE-1427',
        title: 'Improper Neutralization of Input Used for LLM Prompting',
        url: 'https://cwe.mitre.org/data/definitions/1427.html',
      },
      {
        id: 'MITRE-ATLAS-AML.T0051.001',
        title: 'MITRE ATLAS: LLM Prompt Injection — Indirect',
        url: 'https://atlas.mitre.org/techniques/AML.T0051.001',
      },
    ],
    state: 'none',
    ignoresTrustedCallers: true,
  },
  settings: z.object({
    scanChars: z
      .number()
      .int()
      .min(256)
      .max(65_536)
      .default(16_384)
      .describe('How much of result.text (and error.message) is scanned.'),
    zeroWidthMin: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe(
        'Suspicious zero-width characters (runs, or between ASCII letters) needed to alert on their own; any count raises instructions to high.',
      ),
    reportHints: z
      .boolean()
      .default(true)
      .describe(
        'Report a single weak instruction-shaped phrase (an authority claim, a TODO:/IMPORTANT: directive, a payment order …) at low severity.',
      ),
    reportAnsi: z
      .boolean()
      .default(true)
      .describe(
        'Report ANSI sequences that hide or overwrite text (conceal, cursor moves, erase, OSC 8 links).',
      ),
  }),
  events: ['mcp.call'],
  evaluate(ev, ctx) {
    const e = ev.event;
    const s = ctx.settings;
    const resultText = e.result?.text;
    const errorText = e.error?.message;
    if (
      (resultText === undefined || resultText.length < 4) &&
      (errorText === undefined || errorText.length < 4)
    )
      return;
    let text = resultText ?? '';
    if (errorText !== undefined && errorText.length >= 4)
      text = text.length > 0 ? `${text}\n${errorText}` : errorText;
    if (text.length > s.scanChars) text = text.slice(0, s.scanChars);

    const hidden = findHiddenUnicode(text);
    const matches = findInstructionOverride(text);
    const instruction = isInstructionOverride(matches);
    // One weak phrase alone (an authority claim, a TODO: directive …) is a hint, reported at low.
    const hint = !instruction && s.reportHints && isInstructionHint(matches);
    // Nothing hidden and no instruction: no signal can fire (the benign path allocates nothing more).
    if (!instruction && !hint && hidden.length === 0) return;
    const find = (kind: HiddenUnicodeFinding['kind']): HiddenUnicodeFinding | undefined =>
      hidden.find((h) => h.kind === kind);
    const tags = find('unicode-tags');
    const bidi = find('bidi-control');
    const zeroWidth = find('zero-width');
    const ansi = find('ansi-escape');
    const deceptiveAnsi = s.reportAnsi && (ansi?.deceptive ?? 0) > 0;

    const signals: Signal[] = [];
    if (instruction) signals.push('instruction');
    if (hint) signals.push('instruction-hint');
    if (tags) signals.push('unicode-tags');
    if (bidi) signals.push('bidi-control');
    if (zeroWidth && (zeroWidth.count >= s.zeroWidthMin || instruction)) signals.push('zero-width');
    if (deceptiveAnsi) signals.push('ansi-deception');
    if (signals.length === 0) return;

    const hiding = signals.some((sig) => sig !== 'instruction' && sig !== 'instruction-hint');
    const severity: Severity =
      tags || (instruction && hiding) ? 'high' : instruction || hiding ? 'medium' : 'low';
    // The smuggled text itself, read back from the tag characters, is often the clearest evidence.
    const decodedMatches: InstructionOverrideMatch[] = tags?.decoded
      ? findInstructionOverride(tags.decoded)
      : [];
    const shown = matches.filter((m) => !m.quoted).slice(0, MAX_EXCERPTS);
    const where = e.tool !== undefined ? `tool=${e.tool}` : `method=${e.rpc?.method ?? 'unknown'}`;
    ctx.report({
      ...findingContext(e),
      severity,
      title: `Prompt injection signals (${signals.join(', ')}) in the result of ${e.tool ?? e.rpc?.method ?? 'a call'}`,
      subject: `${where} signals=${signals.join(',')}`,
      ts: ev.ts,
      evidence: {
        signals,
        ...(shown.length > 0
          ? { phrases: shown.map((m) => ({ kind: m.kind, strength: m.strength, excerpt: m.excerpt })) }
          : {}),
        ...(hidden.length > 0
          ? {
              hidden: hidden.map((h) => ({
                kind: h.kind,
                count: h.count,
                ...(h.deceptive !== undefined ? { deceptive: h.deceptive } : {}),
              })),
            }
          : {}),
        ...(tags?.decoded ? { smuggledText: tags.decoded.slice(0, 160) } : {}),
        ...(decodedMatches.length > 0
          ? { smuggledPhrases: decodedMatches.slice(0, MAX_EXCERPTS).map((m) => m.kind) }
          : {}),
        scannedChars: text.length,
      },
    });
  },
});
