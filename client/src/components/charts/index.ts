// The stylesheet is imported here only, so the components themselves load under plain Node (unit tests).
import './charts.css'

export { BarChart, type Bar, type BarChartProps } from './BarChart'
export { PeriodKindPicker, type PeriodKindPickerProps } from './PeriodKindPicker'
export { SmallMultiples, type SmallMultiplesPanel, type SmallMultiplesProps } from './SmallMultiples'
export { TrendChart, oneKindOfPeriod, trendDomain, type TrendChartProps, type TrendPoint, type TrendSeries } from './TrendChart'
export { type Format } from './chartUtils'
export { useWidth } from './useWidth'
