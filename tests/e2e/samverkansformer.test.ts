/**
 * The samverkansformer register in Chromium (issue 17): an analyst revises an agreement from the tab beside
 * Åtgärder and sees it; a status change asks for the city-wide group's decision; a local group writes only
 * its own stadsområde's adaptation, and nothing scrolls sideways at 320 px.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ARTEFACTS, browserSkipReason, useBrowserApp } from '../helpers/browser'
import { LagesbildDriver } from './driver'

describe.skipIf(browserSkipReason !== null)('samverkansformer in Chromium', () => {
  const h = useBrowserApp()
  let ui: LagesbildDriver
  const dir = join(ARTEFACTS, 'samverkansformer')
  beforeAll(async () => {
    await mkdir(dir, { recursive: true })
    ui = new LagesbildDriver(await h.newPage({ viewport: { width: 1280, height: 900 } }), h.app.url)
  })

  it('revises an agreement from the tab beside Åtgärder and shows it', async () => {
    await ui.givenThePage('/atgarder')
    await ui.followLink('Samverkansformer')
    await ui.waitForHeading('Samverkansformer', 1)
    expect(await ui.samverkansformText('SIG')).toMatch(/Ingen referens angiven/)
    expect(await ui.reviseSamverkansform('SIG', { 'Avtalsreferens (t.ex. Bilaga 2)': 'Bilaga 3', 'Parter (en per rad)': 'Göteborgs Stad\nPolismyndigheten\nKriminalvården', Avtalstext: 'Parterna samordnar insatser för den som vill lämna.' })).toBe('saved')
    const card = await ui.samverkansformText('SIG')
    expect(card).toMatch(/Avtal\s+Bilaga 3/)
    expect(card).toMatch(/Parter\s+Göteborgs Stad, Polismyndigheten, Kriminalvården/)
    expect(card).toMatch(/Version\s+2/)
    // Read again from the server, not the form's memory.
    await ui.givenThePage('/samverkansformer')
    await ui.waitForHeading('Samverkansformer', 1)
    expect(await ui.samverkansformText('SIG')).toMatch(/Bilaga 3/)
  })

  it('asks for a decision of Ledningsgrupp Trygg i Göteborg before a status changes', async () => {
    expect(await ui.reviseSamverkansform('GVI', {}, { Status: 'Vilande' })).toBe('refused')
    expect(await ui.samverkansformFieldError('GVI', 'Beslut av Ledningsgrupp Trygg i Göteborg (krävs för ny status)')).toBe('en ändrad status kräver ett beslut av Ledningsgrupp Trygg i Göteborg')
    await ui.clickButton('Avbryt')
    expect(await ui.samverkansformText('GVI')).toMatch(/Aktiv/)
  })

  it('writes a local adaptation as an analyst', async () => {
    await ui.writeAdaptation('SSPF', 'Hisingen', 'Träffar varannan vecka på skolorna.')
    expect(await ui.samverkansformText('SSPF')).toMatch(/Hisingen:\s+Träffar varannan vecka på skolorna\./)
    await ui.screenshot(join(dir, 'samverkansformer-1280.png'))
  })

  it('lets a local group write only its own stadsområde’s adaptation; at 320 px nothing scrolls sideways', async () => {
    const local = new LagesbildDriver(await h.newPage({ viewport: { width: 320, height: 700 } }, 'local'), h.app.url)
    await local.givenThePage('/samverkansformer')
    await local.waitForHeading('Samverkansformer', 1)
    expect(await local.adaptationsEditable('SSPF')).toEqual(['Nordost'])
    expect(await local.countButtons('Ändra SIG')).toBe(0)
    await local.writeAdaptation('SSPF', 'Nordost', 'Samordnare i Angered.')
    expect(await local.samverkansformText('SSPF')).toMatch(/Nordost:\s+Samordnare i Angered\./)
    await local.screenshot(join(dir, 'samverkansformer-320.png'))
    expect(await local.horizontalOverflow()).toEqual({ overflow: 0, culprits: [] })
  })
})
