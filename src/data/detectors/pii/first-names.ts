/**
 * Common given names (English-speaking, European, Latin American, South and East Asian, Arabic, African),
 * used only to recognise "Firstname Surname" in free text. Deliberately short: it trades recall for a
 * lookup that costs nothing. Names that are also everyday capitalised words (May, June, Will, Mark,
 * Grace, Bill, Rose...) are left out to avoid "May Update" and "Will Smith's" style false positives.
 */
export const FIRST_NAMES: ReadonlySet<string> = new Set(
  `James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
  Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob
  Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick
  Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter
  Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy
  Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Randy Wayne Vincent Liam Oliver Lucas Mason Harry
  Oscar Leo Freddie Archie Theo Alfie Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah
  Karen Lisa Nancy Betty Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah
  Stephanie Dorothy Rebecca Sharon Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole
  Samantha Katherine Christine Helen Debra Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie
  Joyce Victoria Ruth Virginia Lauren Kelly Christina Joan Evelyn Judith Andrea Hannah Megan Cheryl Jacqueline
  Martha Madison Teresa Gloria Sara Janice Ann Kathryn Abigail Sophia Frances Jean Alice Judy Isabella Julia
  Amelia Ava Charlotte Mia Harper Chloe Ella Lily Isla Freya Sophie Jessica Lucy Ellie Poppy Sienna
  Hans Klaus Jürgen Stefan Wolfgang Andreas Thomas Michael Sabine Ursula Monika Petra Katrin Lukas Jonas
  Felix Maximilian Pierre Jean Jacques François Nicolas Philippe Isabelle Nathalie Sylvie Camille Manon
  Giuseppe Giovanni Francesco Marco Alessandro Luca Matteo Giulia Francesca Chiara Sofia Alessia
  Carlos Luis Miguel Javier Alejandro Diego Sergio Pablo Fernando Jorge Manuel Antonio Francisco Lucia
  Carmen Pilar Isabel Elena Ana Marta Paula Laura Guadalupe Mariana Valentina Camila Daniela Gabriela
  João Pedro Rafael Thiago Bruno Felipe Gustavo Mateus Leonardo Beatriz Larissa Fernanda Juliana
  Piotr Krzysztof Tomasz Marcin Katarzyna Agnieszka Ivan Dmitri Sergei Vladimir Alexei Olga Natalia
  Tatiana Svetlana Irina Anastasia Mohammed Muhammad Ahmed Ali Omar Hassan Hussein Khalid Youssef Ibrahim
  Fatima Aisha Mariam Zainab Layla Raj Rahul Amit Arjun Vijay Sanjay Rohit Ravi Anil Suresh Priya Anjali
  Pooja Sunita Deepika Neha Kavya Wei Jing Li Ming Hui Yan Xin Hiroshi Takashi Kenji Yuki Haruto Sakura
  Yui Aiko Minjun Jiwoo Seojun Jisoo Chen Kwame Kofi Chinedu Emeka Oluwaseun Amara Ngozi Thabo Sipho
  Nomvula Aliyu Musa Yaw Ama Abena Tendai`
    .split(/\s+/)
    .filter(Boolean),
);
