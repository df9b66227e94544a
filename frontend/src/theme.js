// Colours shared by the map and charts. All series colours reach at least
// 3:1 against white; text colours reach 4.5:1.

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
export const TEXT = '#1f2933';
export const MUTED = '#52606d';
export const RULE = '#d3dae1';

// Categorical series colours (teal, blue, amber, plum, brick, green, slate).
export const SERIES = ['#0b6e69', '#1d4e89', '#b86e00', '#6b4c9a', '#b5443b', '#3b7d3a', '#52606d'];

// Sequential light-to-dark teal/blue ramp for the choropleth.
export const RAMP = ['#c8ebe5', '#8fd1c6', '#4fb0a8', '#1d8a87', '#0b6469', '#173f6b'];

export const TARGET = '#9a3412';

export const TOOLTIP = {
  backgroundColor: '#ffffff',
  borderColor: '#9aa5b1',
  borderWidth: 1,
  padding: [6, 10],
  textStyle: { color: TEXT, fontFamily: FONT, fontSize: 13 },
  extraCssText: 'box-shadow:0 2px 8px rgba(0,0,0,.15);border-radius:4px;max-width:18rem;white-space:normal;',
};
