import { takeServerSentData } from './event-stream-messages';

describe('takeServerSentData', () => {
  it('takes the data of complete messages, skips comments and keeps an incomplete message for later', () => {
    const { data, rest } = takeServerSentData(': connected\n\nid: 1\nevent: A\ndata: {"position":1}\n\n: keep-alive\n\nid: 2\ndata: {"posi');
    expect(data).toEqual(['{"position":1}']);
    expect(rest).toBe('id: 2\ndata: {"posi');
    expect(takeServerSentData(rest + 'tion":2}\n\n')).toEqual({ data: ['{"position":2}'], rest: '' });
  });

  it('joins a message of several data lines with newlines', () => {
    expect(takeServerSentData('data: a\ndata: b\n\n').data).toEqual(['a\nb']);
  });
});
