import {Text} from 'ink';

/** The key help, always the last line of the screen. */
export function HelpLine({text}: {text: string}) {
  return <Text dimColor>{text}</Text>;
}
