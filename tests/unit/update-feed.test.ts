// When a console looks for updates (src/main/update-feed.ts): packaged only, with an https feed
// URL from its environment or baked in at packaging, never with HOTLINE_UPDATES=off.
import { describe, expect, it } from 'vitest'
import { bakedUpdateUrl, updateFeed } from '../../src/main/update-feed'

// What electron-builder writes into the app's resources for the generic provider.
const BAKED = 'provider: generic\nurl: https://updates.city.example/hotline\nchannel: latest\n'

describe('update feed', () => {
  it('never checks in development', () => {
    const env = { HOTLINE_UPDATE_URL: 'https://updates.city.example/hotline' }
    expect(updateFeed({ isPackaged: false, env, appUpdateYml: BAKED })).toMatchObject({
      check: false,
    })
  })

  it('uses the feed baked in at packaging, or the environment’s, which wins', () => {
    expect(updateFeed({ isPackaged: true, env: {}, appUpdateYml: BAKED })).toEqual({
      check: true,
      url: null,
    })
    const env = { HOTLINE_UPDATE_URL: 'https://mirror.city.example/hotline/' }
    expect(updateFeed({ isPackaged: true, env, appUpdateYml: BAKED })).toEqual({
      check: true,
      url: 'https://mirror.city.example/hotline/',
    })
    expect(updateFeed({ isPackaged: true, env, appUpdateYml: null })).toMatchObject({
      check: true,
    })
  })

  it('does not check without a usable URL, or when turned off', () => {
    const none = updateFeed({ isPackaged: true, env: {}, appUpdateYml: null })
    expect(none).toMatchObject({ check: false, why: expect.stringMatching(/HOTLINE_UPDATE_URL/) })
    // Packaged with HOTLINE_UPDATE_URL set but empty: no feed.
    expect(
      updateFeed({ isPackaged: true, env: {}, appUpdateYml: 'provider: generic\nurl: \n' }),
    ).toMatchObject({ check: false })
    expect(
      updateFeed({
        isPackaged: true,
        env: { HOTLINE_UPDATE_URL: 'file:///etc' },
        appUpdateYml: null,
      }),
    ).toMatchObject({ check: false, why: expect.stringMatching(/must be an https URL/) })
    expect(
      updateFeed({ isPackaged: true, env: { HOTLINE_UPDATES: 'off' }, appUpdateYml: BAKED }),
    ).toMatchObject({ check: false, why: expect.stringMatching(/off/) })
  })

  it('never takes its code over plain http (issue 12)', () => {
    const env = { HOTLINE_UPDATE_URL: 'http://updates.city.example/hotline' }
    expect(updateFeed({ isPackaged: true, env, appUpdateYml: BAKED })).toEqual({
      check: false,
      why: 'HOTLINE_UPDATE_URL must be an https URL: http://updates.city.example/hotline',
    })
    const baked = 'provider: generic\nurl: http://10.0.0.5/hotline\n'
    expect(updateFeed({ isPackaged: true, env: {}, appUpdateYml: baked })).toMatchObject({
      check: false,
      why: expect.stringMatching(/baked in at packaging must be https/),
    })
  })

  it('reads the url of an app-update.yml, quoted or not', () => {
    expect(bakedUpdateUrl(BAKED)).toBe('https://updates.city.example/hotline')
    expect(bakedUpdateUrl("url: 'http://10.0.0.5/u'\n")).toBe('http://10.0.0.5/u')
    expect(bakedUpdateUrl('updaterCacheDirName: x\n')).toBeNull()
    expect(bakedUpdateUrl(null)).toBeNull()
  })
})
