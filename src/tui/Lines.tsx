import {Text} from 'ink';

/** Pre-formatted lines, one per row, each cut at the panel's edge rather than wrapped (wrapping breaks the layout). */
export function Lines({lines}: {lines: readonly string[]}) {
  return (
    <>
      {lines.map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </>
  );
}
