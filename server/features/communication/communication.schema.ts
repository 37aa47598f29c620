import { z } from 'zod'

export const ORGANISATIONS = ['staden', 'polisen'] as const
const text = (max: number, what: string) => z.string({ error: `${what} måste vara text` }).trim().max(max, `högst ${max} tecken`)

/** One line of the communication plan: who speaks for a party on a topic. */
const planRow = z.object({
  topic: text(200, 'ämnet').min(1, 'ange ämnet (t.ex. Skjutningar)'),
  organisation: z.enum(ORGANISATIONS, { error: 'organisationen är staden eller polisen' }),
  function: text(200, 'funktionen').min(1, 'ange funktionen (t.ex. presstjänsten)'),
  /** How to reach the function: a shared number or mailbox, never a private one. */
  contact: text(300, 'kontaktvägen').default(''),
})

export const communicationPlanBody = z.object({
  /** The version read (0 for a plan never saved): a stale one is refused. */
  version: z.number({ error: 'ange versionen du läste (version)' }).int('versionen är ett heltal').min(0, 'versionen är ett heltal'),
  rows: z
    .array(planRow, { error: 'raderna är en lista' })
    .max(200, 'högst 200 rader')
    .superRefine((rows, ctx) => {
      const seen = new Set<string>()
      rows.forEach((r, i) => {
        const key = `${r.topic.toLowerCase()}|${r.organisation}`
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'topic'], message: `${r.topic} har redan en rad för ${r.organisation}` })
        seen.add(key)
      })
    }),
})
export type CommunicationPlanInput = z.infer<typeof communicationPlanBody>

export interface CommunicationPlanRowDto {
  topic: string
  organisation: (typeof ORGANISATIONS)[number]
  function: string
  contact: string
}

export interface CommunicationPlanDto {
  version: number
  rows: CommunicationPlanRowDto[]
  updatedAt: string | null
  updatedBy: string | null
}
